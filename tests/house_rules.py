"""The house rules every page must keep (STYLE.md), checked on every page a test fetches."""

from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup, Tag

NO_LABEL_NEEDED = {"hidden", "submit", "button", "reset", "image"}


def broken_rules(
    html: str, *, lang: str = "en", direction: str = "ltr", fragment: bool = False
) -> list[str]:
    """What is wrong with a page; a fragment (an htmx swap) is checked for all but the frame."""
    soup = BeautifulSoup(html, "html.parser")
    if fragment:
        return _element_rules(soup)
    problems: list[str] = []
    root = soup.find("html")
    if not isinstance(root, Tag):
        return ["no <html> element"]
    if root.get("lang") != lang or root.get("dir") != direction:
        problems.append(
            f"<html lang={root.get('lang')!r} dir={root.get('dir')!r}>, "
            f"expected lang={lang!r} dir={direction!r}"
        )
    title = soup.find("title")
    if title is None or not title.get_text(strip=True):
        problems.append("no <title>")
    if len(soup.find_all("h1")) != 1:
        problems.append(f"{len(soup.find_all('h1'))} <h1> elements, expected exactly one")
    return problems + _element_rules(soup)


def _element_rules(soup: BeautifulSoup) -> list[str]:
    problems: list[str] = []
    ids = Counter(str(tag["id"]) for tag in soup.find_all(id=True))
    problems += [f"id {name!r} is used {count} times" for name, count in ids.items() if count > 1]
    labelled = {str(label["for"]) for label in soup.find_all("label", attrs={"for": True})}
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in NO_LABEL_NEEDED:
            continue
        if (
            field.get("id") not in labelled
            and not field.get("aria-labelledby")
            and field.find_parent("label") is None
        ):
            problems.append(f"no label for {field.name} {field.get('name')!r}")
        if field.has_attr("required"):
            problems.append(f"{field.get('name')!r} has `required`: the server validates")
    for form in soup.find_all("form"):
        if str(form.get("method", "get")).lower() == "post":
            names = [str(field.get("name", "")) for field in form.find_all("input")]
            if not any(name.endswith("csrf_token") for name in names):
                problems.append(f"POST form to {form.get('action')!r} has no CSRF field")
            if not form.has_attr("novalidate"):
                problems.append(f"form to {form.get('action')!r} lacks novalidate")
    for script in soup.find_all("script"):
        if not script.get("src") or script.get_text(strip=True):
            problems.append("inline <script>")
    if soup.find("style"):
        problems.append("inline <style>")
    for tag in soup.find_all(True):
        if tag.has_attr("style"):
            problems.append(f"style attribute on <{tag.name}>")
        handlers = [name for name in tag.attrs if name.startswith("on")]
        if handlers:
            problems.append(f"inline event handler {handlers} on <{tag.name}>")
    for image in soup.find_all("img"):
        if not image.has_attr("alt"):
            problems.append(f"<img src={image.get('src')!r}> has no alt")
    return problems
