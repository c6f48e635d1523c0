"""Every child page, in every age band with and without symbols, in English and in Arabic,
loaded once and checked for all a browser can see on it:

- axe finds nothing wrong (WCAG 2.2 AA rules and best practice: AXE_TAGS);
- every control is at least 44 by 44 px on a phone (375 px wide);
- nothing scrolls sideways at 320 px (WCAG 1.4.10), nor on a phone with its text at 200%
  (WCAG 1.4.4: support.sideways_with_larger_text says how that is modelled);
- every request goes to our own origin, and nothing breaks the content security policy;
- the first load, with all it needs, is within DESIGN.md's 40 KB (compressed);
- in Arabic, the page says so: `<html lang="ar" dir="rtl">`.

Each page is loaded once, with an empty cache so its weight can be measured (in English: the
Arabic pages use the same files), and then resized for the checks that need a smaller window.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request

from tests.e2e.pages import PAGES, VARIANT_IDS, VARIANTS
from tests.e2e.support import (
    NEUTRAL_SITE,
    WIDE,
    Live,
    first_load_bytes,
    live_server,
    problems_at_every_size,
    stand_in_for_the_neutral_site,
)

BUDGET = 40 * 1024
# The browser's language: Chromium sends it as Accept-Language, which picks the page's.
LOCALES = {"en": "en-GB", "ar": "ar"}


@pytest.fixture(scope="module")
def in_two_languages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The app offering Arabic beside English, whatever LANGUAGES the run was given."""
    with live_server(tmp_path_factory.mktemp("languages"), LANGUAGES=["en", "ar"]) as live:
        yield live


def choose(page: Page, age: str, symbols: bool) -> None:
    """Choose an age band and symbol mode through the form, in whichever language it is in."""
    page.goto("/choose")
    page.check(f"input[name=age][value='{age}']")
    page.check(f"input[name=symbols][value='{'yes' if symbols else 'no'}']")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def checks_on(page: Page, url: str, lang: str) -> dict[str, object]:
    """What is wrong with one page, by check; loads the page once."""
    found: dict[str, object] = {}
    page.set_viewport_size(WIDE)
    if lang == "en":
        weight = first_load_bytes(page, url)
        if weight > BUDGET:
            found[f"first load over {BUDGET} bytes"] = weight
        if weight <= 1000:
            found["first load under 1000 bytes: was it measured?"] = weight
    else:
        page.goto(url, wait_until="load")
    said = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
    if said != [lang, "rtl" if lang == "ar" else "ltr"]:
        found["not in its language"] = said
    found.update(problems_at_every_size(page))
    page.wait_for_load_state("networkidle")  # whatever the page asks for after it loads
    return found


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_every_child_page(
    browser: Browser, in_two_languages: Live, band: str, symbols: bool, lang: str
) -> None:
    base_url = in_two_languages.url
    context = browser.new_context(base_url=base_url, locale=LOCALES[lang])
    page = context.new_page()
    page.route(f"{NEUTRAL_SITE}**", stand_in_for_the_neutral_site)
    at = {"url": "choosing the age band"}
    requests: list[tuple[str, str]] = []
    console_errors: list[str] = []

    def on_request(request: Request) -> None:
        requests.append((at["url"], request.url))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "404" not in message.text:
            console_errors.append(f"{page.url}: {message.text}")

    page.on("request", on_request)
    page.on("console", on_console)
    choose(page, band, symbols)
    found: dict[str, dict[str, object]] = {}
    for url in PAGES:
        at["url"] = url
        problems = checks_on(page, url, lang)
        if problems:
            found[url] = problems
    context.close()
    elsewhere: dict[str, list[str]] = {}
    for url, asked in requests:
        if not asked.startswith(base_url + "/"):
            elsewhere.setdefault(url, []).append(asked)
    for url, asked_for in elsewhere.items():
        found.setdefault(url, {})["requests to another origin"] = asked_for
    assert len(requests) > len(PAGES), "the requests were not recorded"
    variant = f"{band}, {'symbols' if symbols else 'words'}, {lang}"
    report = [
        f"{url} ({variant}), {check}:\n{detail}"
        for url, checks in found.items()
        for check, detail in checks.items()
    ]
    report += [f"console error: {error}" for error in console_errors]
    assert not report, "\n\n".join(report)
