"""Nothing leaves for another site, and nothing breaks the content security policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request

from tests.e2e.pages import PAGES, VARIANT_IDS, VARIANTS
from tests.e2e.support import choose


@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_every_request_goes_to_our_own_origin(
    page: Page, base_url: str, band: str, symbols: bool
) -> None:
    requests: list[str] = []
    errors: list[str] = []

    def on_request(request: Request) -> None:
        requests.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "404" not in message.text:
            errors.append(f"{page.url}: {message.text}")

    page.on("request", on_request)
    page.on("console", on_console)
    choose(page, band, symbols)
    for url in PAGES:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    elsewhere = [url for url in requests if not url.startswith(base_url + "/")]
    assert len(requests) > len(PAGES)
    assert not elsewhere, elsewhere
    assert not errors, errors
