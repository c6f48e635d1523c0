"""Browser tests: Debian's Chromium, driven by Playwright, against a live server.

Playwright cannot download its own browser here, so the launch points at /usr/bin/chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.support import NEUTRAL_SITE, Live, stand_in_for_the_neutral_site
from tests.e2e.support import live_server as serve

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with serve(tmp_path_factory.mktemp("e2e")) as live:
        yield live


@pytest.fixture(scope="session")
def base_url(live_server: Live) -> str:
    return live_server.url


@pytest.fixture
def page(page: Page) -> Page:
    """A page that never reaches the real neutral site: the quick exit lands on a stand-in."""
    page.route(f"{NEUTRAL_SITE}**", stand_in_for_the_neutral_site)
    return page


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Werkzeug's development server leaves a file open when a browser drops a connection in
    # the middle of a response, as leaving a page quickly does on purpose. That is the test
    # server's leak, not the app's: the Flask test client tests still treat leaks as errors.
    ignore = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(ignore)
