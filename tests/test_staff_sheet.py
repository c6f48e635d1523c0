"""The staff's rules in a sheet of their own (issue 15): every child page's first load carried
the tracker's tables, the report's charts and the authenticator's QR code, about 600 of
app.css's 7,250 compressed bytes, for pages no child sees."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import tinycss2
from flask.testing import FlaskClient

from tests.e2e.pages import PAGES
from tests.helpers import choose, soup

APP = Path(__file__).parent.parent / "app"
CSS = APP / "static" / "css"
TEMPLATES = APP / "templates"
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


def _classes_in(paths: list[Path]) -> set[str]:
    """The class names the templates' class attributes may give an element: each word, with a
    template expression anywhere in a word counted as any word that starts the same way."""
    found: set[str] = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for value in re.findall(r'class="([^"]*)"', text):
            found.update(re.findall(r"'([\w-]+)'", value))  # {{ 'on' if ... }}
            plain = re.sub(r"\{[{%].*?[%}]\}", " ", value)
            found.update(plain.split())
    return found


def _child_classes() -> set[str]:
    """Every class a child page's element may carry: its templates' class attributes, those
    the code writes into HTML, and any word a script quotes (classList, className)."""
    templates = [
        path
        for path in TEMPLATES.rglob("*.html")
        if "staff" not in path.relative_to(TEMPLATES).parts and path.name != "staff.html"
    ]
    code = [path for path in APP.rglob("*.py") if "staff" not in path.parts]
    found = _classes_in([*templates, *code])
    for path in (APP / "static" / "js").glob("*.js"):
        found.update(
            re.findall(
                r"[\w-]+",
                " ".join(re.findall(r"[\"']([\w -]+)[\"']", path.read_text(encoding="utf-8"))),
            )
        )
    return found


def _selectors(sheet: Path) -> list[str]:
    """Every selector of every rule in the sheet, in @media blocks too."""
    found: list[str] = []

    def walk(rules: list[tuple]) -> None:  # type: ignore[type-arg]
        for rule in rules:
            if rule.type == "qualified-rule":
                found.extend(part.strip() for part in tinycss2.serialize(rule.prelude).split(","))
            elif rule.type == "at-rule" and rule.content is not None:
                walk(
                    tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
                )

    walk(
        tinycss2.parse_stylesheet(
            sheet.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True
        )
    )
    return found


def _prefixes(children: set[str]) -> set[str]:
    """Classes a template makes from an expression: `band-{{ ... }}`, `card-size-{{ ... }}`."""
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        for value in re.findall(r'class="([^"]*)"', path.read_text(encoding="utf-8")):
            found.update(re.findall(r"([\w-]+-)\{\{", value))
    return found


@cache
def _staff_classes() -> frozenset[str]:
    return _classes_in(
        [*(TEMPLATES / "staff").rglob("*.html"), TEMPLATES / "layouts" / "staff.html"]
    )


def _only_staff(selector: str, children: set[str], prefixes: set[str]) -> bool:
    """A selector only a staff page's element can match: it names a class a staff page gives
    and no child page does."""
    return any(
        name in _staff_classes() and name not in children and not name.startswith(tuple(prefixes))
        for name in CLASS.findall(selector)
    )


def test_the_child_sheet_holds_no_rule_only_staff_pages_use() -> None:
    children = _child_classes()
    prefixes = _prefixes(children)
    rules = [s for s in _selectors(CSS / "app.css") if _only_staff(s, children, prefixes)]
    # A rule of the child's sheet may name a staff page's element beside a child's (the header's
    # width, the print rule that hides the headers): one selector of a rule a child page needs.
    assert rules == [".site-header", ".site-header"], rules


def test_every_rule_of_the_staff_sheet_is_one_no_child_page_needs() -> None:
    """So its place after app.css cannot change how a child page looks: it styles nothing there
    (and child pages do not link it)."""
    children = _child_classes()
    prefixes = _prefixes(children)
    selectors = _selectors(CSS / "staff.css")
    assert selectors
    for selector in selectors:
        assert _only_staff(selector, children, prefixes), selector


def _sheets(client: FlaskClient, url: str) -> list[str]:
    return [
        link["href"].split("?")[0] for link in soup(client.get(url)).select("link[rel=stylesheet]")
    ]


@pytest.mark.parametrize("symbols", [False, True])
def test_child_pages_link_the_child_sheet_and_not_the_staff_sheet(
    page_client: FlaskClient, symbols: bool
) -> None:
    choose(page_client, "under_5", symbols=symbols)
    for url in PAGES:
        sheets = _sheets(page_client, url)
        assert "/static/css/app.css" in sheets, url
        assert "/static/css/staff.css" not in sheets, url


def test_staff_pages_link_both_sheets_the_staff_one_last(page_client: FlaskClient) -> None:
    sheets = _sheets(page_client, "/staff/sign-in")
    assert sheets[-2:] == ["/static/css/app.css", "/static/css/staff.css"]
