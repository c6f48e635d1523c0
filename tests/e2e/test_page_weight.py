"""Every child page's first load, with all it needs, within DESIGN.md's 40 KB (compressed)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.pages import PAGES, VARIANT_IDS, VARIANTS
from tests.e2e.support import choose, first_load_bytes

BUDGET = 40 * 1024


@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_first_load_within_budget(page: Page, band: str, symbols: bool) -> None:
    choose(page, band, symbols)
    weights = {url: first_load_bytes(page, url) for url in PAGES}
    over = {url: size for url, size in weights.items() if size > BUDGET}
    assert all(size > 1000 for size in weights.values()), weights
    assert not over, f"over {BUDGET} bytes: {over}"
