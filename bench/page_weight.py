"""Page weight: bytes on the wire for the first load of every child page, in every variant.

DESIGN.md's budget is 40 KB (compressed, with everything the page needs). The browser tests
fail above it; this prints the figures. Run with `make bench`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.pages import PAGES, VARIANT_IDS, VARIANTS
from tests.e2e.support import choose, first_load_bytes, live_server

BUDGET = 40 * 1024


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as work,
        live_server(Path(work)) as live,
        sync_playwright() as playwright,
    ):
        if True:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page(base_url=live.url)
            print(f"{'page':<28}" + "".join(f"{name:>18}" for name in VARIANT_IDS))
            rows: dict[str, list[int]] = {url: [] for url in PAGES}
            for band, symbols in VARIANTS:
                choose(page, band, symbols)
                for url in PAGES:
                    rows[url].append(first_load_bytes(page, url))
            for url, sizes in rows.items():
                print(f"{url:<28}" + "".join(f"{size:>18,}" for size in sizes))
            heaviest = max(max(sizes) for sizes in rows.values())
            print(f"\nheaviest first load: {heaviest:,} bytes; budget {BUDGET:,} bytes")
            browser.close()


if __name__ == "__main__":
    main()
