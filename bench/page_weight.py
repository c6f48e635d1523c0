"""Page weight: bytes on the wire for the first load of every child page, in every variant.

Measured in Chromium (Playwright, Debian's /usr/bin/chromium) against the production server
(bench/production.py: gunicorn, compressed HTML, WhiteNoise's precompressed static files), as
a phone behind the TLS proxy gets them, with an empty cache each time: headers and compressed
bodies, by kind (HTML, CSS, JS, symbols and images, fonts). Issue 15's budgets: at most 25 KB
for any child page's first load; the HTML and CSS of home and the promises page within 14 KB
(one round trip on a new connection); no web font by default; and no network bytes on a
repeat visit of the promise pages once a service worker is installed.

`python -m bench.page_weight` (make bench-weight) prints the table and merges the figures
into bench/results.json.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from playwright.sync_api import Error, Page, Request, Response, sync_playwright

from bench import results
from bench.production import PROXY_HEADERS, production_site
from tests.e2e.pages import PAGES, VARIANT_IDS, VARIANTS
from tests.e2e.support import choose

PART = "weight"
FIRST_LOAD_BUDGET_KB = 25
ROUND_TRIP_BUDGET_KB = 14
KINDS = {
    "document": "html",
    "stylesheet": "css",
    "script": "js",
    "image": "images",
    "font": "fonts",
}


def first_load(page: Page, url: str) -> Counter[str]:
    """Bytes on the wire (headers and compressed bodies) by kind, with an empty cache."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.clearBrowserCache")
    responses: list[Response] = []

    def record(response: Response) -> None:
        responses.append(response)

    page.on("response", record)
    # Until the network is quiet, not only "load": a lazy symbol near the screen starts after it.
    page.goto(url, wait_until="networkidle")
    page.remove_listener("response", record)
    cdp.detach()
    sizes: Counter[str] = Counter()
    for response in responses:
        got = response.request.sizes()
        kind = KINDS.get(response.request.resource_type, "other")
        sizes[kind] += got["responseBodySize"] + got["responseHeadersSize"]
    return sizes


CONTROLLED = "() => navigator.serviceWorker.controller !== null"
# The worker has kept its pages in the choices the child's pages named (sw.js): its copy's
# note is the same as the note of the choices wanted.
KEPT_IN_CHOICES = """async () => {
  const wanted = await caches.match('/offline/choices', {cacheName: 'our-promise-choices'});
  if (!wanted) return false;
  const choices = await wanted.text();
  for (const name of await caches.keys()) {
    if (!name.endsWith('-chosen')) continue;
    const kept = await caches.match('/offline/choices', {cacheName: name});
    if (kept && await kept.text() === choices) return true;
  }
  return false;
}"""


def under_the_worker(page: Page, url: str) -> None:
    """Open `url` until the service worker is installed, controls the page, and has kept the
    pages in the child's choices: what a phone has after its first visits."""
    page.goto(url)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function(CONTROLLED)
    wait_until(page, KEPT_IN_CHOICES)


def wait_until(page: Page, script: str, seconds: float = 30) -> None:
    """Wait until `script` (which may be async: wait_for_function would take its promise for
    a true value) answers true in the page."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        if time.monotonic() > deadline:
            raise TimeoutError(f"never true: {script}")
        page.wait_for_timeout(100)


def received(request: Request) -> int:
    """Bytes one request brought over the network: nothing if the service worker answered it
    from its cache; else the headers and the body (its length if Chromium does not say, as for
    the worker's own requests)."""
    response = request.response()
    if response is None or response.from_service_worker:
        return 0
    sizes = request.sizes()
    body = sizes["responseBodySize"]
    if body <= 0 and response.status not in (204, 304):
        try:
            body = len(response.body())
        except Error:  # a body the browser no longer holds: count its declared length
            body = int(response.headers.get("content-length", "0"))
    return max(sizes["responseHeadersSize"], 0) + max(body, 0)


def repeat_visit(page: Page, url: str) -> int:
    """Bytes over the network (headers and bodies) when `url` is opened again under the
    service worker: every request of the page and of the worker (Playwright reports the
    worker's own) that the worker did not answer from its cache."""
    finished: list[Request] = []

    def record(request: Request) -> None:
        finished.append(request)

    page.context.on("requestfinished", record)
    page.goto(url, wait_until="networkidle")
    page.context.remove_listener("requestfinished", record)
    return sum(received(request) for request in finished)


def slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", url.lower()).strip("_") or "home"


def measure(base_url: str) -> tuple[dict[str, dict[str, Counter[str]]], dict[str, int]]:
    """{page: {variant: bytes by kind}} for every child page in every variant, and the bytes
    of a repeat visit of the promises page in each variant."""
    table: dict[str, dict[str, Counter[str]]] = {url: {} for url in PAGES}
    repeats: dict[str, int] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        # As the proxy passes it on: https, so the app sets its Secure, __Host- cookies
        # (Chromium keeps Secure cookies for http://127.0.0.1, a potentially trustworthy origin).
        headers = {k: v for k, v in PROXY_HEADERS.items() if k != "Host"}
        for (band, symbols), variant in zip(VARIANTS, VARIANT_IDS, strict=True):
            # A first load is a first visit: no service worker yet to answer from its cache.
            context = browser.new_context(
                base_url=base_url, extra_http_headers=headers, service_workers="block"
            )
            page = context.new_page()
            choose(page, band, symbols)
            assert context.cookies(), "the choice was not kept: no cookie"
            for url in PAGES:
                table[url][variant] = first_load(page, url)
            context.close()
            # A repeat visit: the service worker installed, controlling the page, its pages
            # kept in the child's choices, and the page seen once under it.
            context = browser.new_context(base_url=base_url, extra_http_headers=headers)
            page = context.new_page()
            choose(page, band, symbols)
            under_the_worker(page, "/promises")
            page.goto("/promises", wait_until="networkidle")
            repeats[variant] = repeat_visit(page, "/promises")
            context.close()
        browser.close()
    return table, repeats


def figures(
    table: dict[str, dict[str, Counter[str]]], repeats: dict[str, int]
) -> list[dict[str, Any]]:
    out = []
    heaviest = (0, "", "")
    for url, variants in table.items():
        totals = {variant: sum(sizes.values()) for variant, sizes in variants.items()}
        variant = max(totals, key=lambda v: totals[v])
        worst = variants[variant]
        if totals[variant] > heaviest[0]:
            heaviest = (totals[variant], url, variant)
        out.append(
            results.figure(
                f"first_load_kb_{slug(url)}",
                round(totals[variant] / 1024, 1),
                "KB",
                FIRST_LOAD_BUDGET_KB,
                what=f"first load of {url}, heaviest variant ({variant})",
                by_kind_bytes=dict(worst),
                by_variant_kb={v: round(t / 1024, 1) for v, t in totals.items()},
            )
        )
    out.append(
        results.figure(
            "first_load_kb",
            round(heaviest[0] / 1024, 1),
            "KB",
            FIRST_LOAD_BUDGET_KB,
            what=f"the heaviest first load of any child page: {heaviest[1]} ({heaviest[2]})",
        )
    )
    for url in ("/", "/promises"):
        variants = table[url]
        html_css = {v: sizes["html"] + sizes["css"] for v, sizes in variants.items()}
        variant = max(html_css, key=lambda v: html_css[v])
        out.append(
            results.figure(
                f"html_css_kb_{slug(url)}",
                round(html_css[variant] / 1024, 1),
                "KB",
                ROUND_TRIP_BUDGET_KB,
                what=f"HTML and CSS of {url}, heaviest variant ({variant}): one round trip",
            )
        )
    fonts = max(sizes["fonts"] for variants in table.values() for sizes in variants.values())
    out.append(
        results.figure(
            "web_font_bytes",
            fonts,
            "bytes",
            0,
            what="web fonts fetched by any child page's first load (none by default)",
        )
    )
    variant = max(repeats, key=lambda v: repeats[v])
    out.append(
        results.figure(
            "repeat_visit_bytes",
            repeats[variant],
            "bytes",
            0,
            what="network bytes for a repeat visit of /promises, heaviest variant "
            f"({variant}), the service worker installed and controlling the page",
            by_variant_bytes=repeats,
            note="the worker serves the promise pages from its copy in the child's choices "
            "(sw.js), and their files from its cache; counted: every request of the page and "
            "of the worker that the worker did not answer itself",
        )
    )
    return out


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="bench-weight-") as work,
        production_site(Path(work), bare=False) as site,
    ):
        table, repeats = measure(site.app.url)
    print(f"{'page':<28}" + "".join(f"{name:>18}" for name in VARIANT_IDS))
    for url, variants in table.items():
        print(f"{url:<28}" + "".join(f"{sum(variants[v].values()):>18,}" for v in VARIANT_IDS))
    found = figures(table, repeats)
    heaviest = next(f for f in found if f["name"] == "first_load_kb")
    print(f"\nheaviest first load: {heaviest['value']} KB ({heaviest['what']}); budget 25 KB")
    results.save(found, PART)


if __name__ == "__main__":
    main()
