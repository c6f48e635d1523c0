"""What Lighthouse's PWA audits asked of the home page (issue 12, point 8), in a real Chromium
profile: Lighthouse 12 no longer has them (bench/lighthouse.py runs Lighthouse 11's), so the
suite asks Chromium itself. Installable (manifest and service worker, Chromium's own check),
the start URL offline, a themed address bar, and a maskable icon."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Playwright, expect

from tests.e2e.test_offline import controlled
from tests.helpers import COUNCIL


@pytest.fixture
def profile(
    playwright: Playwright,
    browser_type_launch_args: dict[str, Any],
    base_url: str,
    tmp_path: Path,
) -> Iterator[BrowserContext]:
    """A profile on disk: Chromium never calls a private window's app installable."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", base_url=base_url, **browser_type_launch_args
    )
    yield context
    context.close()


def test_the_home_page_passes_what_lighthouse_audited_for_an_installable_app(
    profile: BrowserContext,
) -> None:
    page = profile.new_page()
    controlled(page)
    cdp = profile.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = page.request.get("/manifest.webmanifest").json()
    theme = page.locator("meta[name=theme-color]").get_attribute("content")
    assert theme == manifest["theme_color"] == COUNCIL.app.theme_colour
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    assert page.locator("meta[name=viewport]").get_attribute("content") == (
        "width=device-width, initial-scale=1"
    )

    profile.set_offline(True)
    response = page.goto(manifest["start_url"])
    assert response is not None and response.status == 200
    assert response.from_service_worker
    expect(page.locator(".site-name")).to_contain_text(COUNCIL.app.name)
