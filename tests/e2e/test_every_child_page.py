"""Every child page, in every age band with and without symbols, loaded once and checked for all
a browser can see on it:

- axe finds nothing wrong (WCAG 2.2 AA rules);
- every control is at least 44 by 44 px on a phone (375 px wide);
- nothing scrolls sideways at 320 px (WCAG 1.4.10);
- every request goes to our own origin, and nothing breaks the content security policy;
- the first load, with all it needs, is within DESIGN.md's 40 KB (compressed).

Each page is loaded once, with an empty cache so its weight can be measured, and then resized
for the checks that need a smaller window.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request

from tests.e2e.pages import PAGES, VARIANT_IDS, VARIANTS
from tests.e2e.support import axe_report, choose, first_load_bytes, sideways, small_targets

BUDGET = 40 * 1024
WIDE = {"width": 1280, "height": 720}  # Playwright's default window: axe and the weight
PHONE = {"width": 375, "height": 740}  # the targets
SMALLEST = {"width": 320, "height": 640}  # reflow


def checks_on(page: Page, url: str) -> dict[str, object]:
    """What is wrong with one page, by check; loads the page once."""
    found: dict[str, object] = {}
    page.set_viewport_size(WIDE)
    weight = first_load_bytes(page, url)
    if weight > BUDGET:
        found[f"first load over {BUDGET} bytes"] = weight
    if weight <= 1000:
        found["first load under 1000 bytes: was it measured?"] = weight
    report = axe_report(page)
    if report:
        found["axe"] = report
    page.set_viewport_size(PHONE)
    small = small_targets(page)
    if small:
        found["targets under 44px at 375px"] = small
    page.set_viewport_size(SMALLEST)
    wide = sideways(page)
    if wide:
        found["scrolls sideways at 320px"] = wide
    page.wait_for_load_state("networkidle")  # whatever the page asks for after it loads
    return found


@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_every_child_page(page: Page, base_url: str, band: str, symbols: bool) -> None:
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
        problems = checks_on(page, url)
        if problems:
            found[url] = problems
    elsewhere: dict[str, list[str]] = {}
    for url, asked in requests:
        if not asked.startswith(base_url + "/"):
            elsewhere.setdefault(url, []).append(asked)
    for url, asked_for in elsewhere.items():
        found.setdefault(url, {})["requests to another origin"] = asked_for
    assert len(requests) > len(PAGES), "the requests were not recorded"
    report = [
        f"{url} ({band}, {'symbols' if symbols else 'words'}), {check}:\n{detail}"
        for url, checks in found.items()
        for check, detail in checks.items()
    ]
    report += [f"console error: {error}" for error in console_errors]
    assert not report, "\n\n".join(report)
