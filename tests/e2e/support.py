"""What the browser tests share with each other and with bench/."""

from __future__ import annotations

import logging
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from playwright.sync_api import Page, Response, Route
from werkzeug.serving import make_server

from app import create_app
from tests.helpers import A_PROMISE, COUNCIL, migrate, settings_for

# Where the quick exit goes (the council's file says), and every address on that site, which
# the tests answer with a stand-in page: no test reaches the internet.
NEUTRAL_SITE = COUNCIL.council.exit_url
NEUTRAL_ORIGIN = "{0.scheme}://{0.netloc}/**".format(urlsplit(NEUTRAL_SITE))


@dataclass(frozen=True)
class Live:
    url: str
    app: Flask  # the same app the server runs, for recording staff events in tests


@contextmanager
def live_server(workdir: Path, **settings: Any) -> Iterator[Live]:
    """The app on a fresh SQLite database, served on a free port of 127.0.0.1 (with `settings`,
    such as another COUNCIL_FILE)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line a request drowns the report
    url = f"sqlite:///{workdir / 'live.sqlite3'}"
    migrate(url)
    app = create_app(settings_for(url, **settings))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join()


def first_load_bytes(page: Page, url: str) -> int:
    """Bytes on the wire (headers and compressed bodies) for a visit with an empty cache."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.clearBrowserCache")
    # A first visit has no service worker yet: one installed by an earlier page would answer
    # from its cache, and nothing would be measured.
    cdp.send("Network.enable")
    cdp.send("Network.setBypassServiceWorker", {"bypass": True})
    responses: list[Response] = []

    def record(response: Response) -> None:
        responses.append(response)

    page.on("response", record)
    page.goto(url, wait_until="load")  # every image, style sheet and script has arrived
    page.remove_listener("response", record)
    cdp.send("Network.setBypassServiceWorker", {"bypass": False})
    total = 0
    for response in responses:
        sizes = response.request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


def stand_in_for_the_neutral_site(route: Route) -> None:
    route.fulfill(
        status=200,
        content_type="text/html",
        body="<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>",
    )


def choose(page: Page, age: str, symbols: bool = False) -> None:
    """Choose an age band and symbol mode through the form, as a child would."""
    page.goto("/choose")
    page.check(f"input[name=age][value='{age}']")
    page.check(f"input[name=symbols][value='{'yes' if symbols else 'no'}']")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


# Every control, and every link that is not inside a sentence, must be at least 44 by 44 CSS px.
SMALL_TARGETS = """() => {
  const small = [];
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]');
  for (const element of controls) {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;   // visually hidden until focused
    if (getComputedStyle(element).visibility === 'hidden') continue;
    if (element.tagName === 'A' &&
        element.parentElement.textContent.trim() !== element.textContent.trim()) continue;
    if (box.width < 44 || box.height < 44) {
      small.push(`${element.tagName.toLowerCase()} "${element.textContent.trim().slice(0, 40)}"`
                 + ` ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


# best-practice too: every piece of a page in a landmark ("region"), one main, and the like.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Every violation in full; of what passes, only a summary (far less to carry back from the page).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


@cache
def _axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_report(page: Page, within: str | None = None) -> str | None:
    """axe's report on the page as it is now (or only the part `within` selects), or None when
    it finds nothing wrong."""
    result = _axe().run(page, context=within, options=AXE_OPTIONS)
    return str(result.generate_report()) if result.violations_count else None


def small_targets(page: Page) -> list[str]:
    """Controls under 44 by 44 CSS px, at the page's viewport now."""
    small: list[str] = page.evaluate(SMALL_TARGETS)
    return small


def sideways(page: Page) -> str | None:
    """How the page scrolls sideways in its viewport now, or None when it does not."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    return f"{width}px wide in a {viewport}px window" if width > viewport else None


def page_problems(page: Page) -> list[str]:
    """What axe finds, targets under 44 px, and sideways scrolling, on the page as it is now."""
    problems: list[str] = []
    report = axe_report(page)
    if report:
        problems.append(report)
    problems += [f"small target: {small}" for small in small_targets(page)]
    wide = sideways(page)
    if wide:
        problems.append(f"scrolls sideways: {wide}")
    return problems


def write_a_message(page: Page, words: str, name: str = "") -> None:
    """Through every step to "check your answers", as a 10-year-old would."""
    choose(page, "10_plus")
    page.goto("/tell-us/what")
    page.check("input[name=kind][value=not_kept]")
    page.get_by_role("button", name="Continue").click()
    page.check(f"input[name=promises][value={A_PROMISE}]")
    page.get_by_role("button", name="Continue").click()
    page.locator("#words").fill(words)
    page.get_by_role("button", name="Continue").click()
    if name:
        page.locator("#name").fill(name)
    # name, how (none chosen: no box follows), language, what helps, an advocate
    for _ in range(5):
        page.get_by_role("button", name="Continue").click()
    page.check("input[name=helper][value=nobody]")
    page.get_by_role("button", name="Continue").click()


def send_and_follow(page: Page) -> str:
    """Send from "check your answers", then open the message's status; its reference."""
    page.get_by_role("button", name="Send your message").click()
    reference = page.locator(".reference").inner_text().strip()
    page.get_by_role("link", name="See where your message is").click()
    return reference


# The window sizes of the sweeps: Playwright's default (axe and the weight), a phone (the
# targets), the smallest phone WCAG 1.4.10 names (reflow).
WIDE = {"width": 1280, "height": 720}
PHONE = {"width": 375, "height": 740}
SMALLEST = {"width": 320, "height": 640}


# The innermost elements reaching past either side of the window: what to fix.
STICKING_OUT = """() => {
  const width = window.innerWidth, out = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || (box.right <= width + 1 && box.left >= -1)) continue;
    if ([...element.children].some(child => {
      const inner = child.getBoundingClientRect();
      return inner.width > 0 && (inner.right > width + 1 || inner.left < -1);
    })) continue;
    const words = element.textContent.trim().slice(0, 30);
    out.push(`${element.tagName.toLowerCase()}.${element.className} "${words}"`
             + ` ${Math.round(box.left)} to ${Math.round(box.right)}`);
  }
  return out.slice(0, 5);
}"""


def sideways_with_larger_text(page: Page, scale: int = 2) -> str | None:
    """How the page scrolls sideways on a phone whose text is `scale` times larger, or None.

    WCAG 1.4.4 (text resized to 200%) is modelled as the browser's own text size does it:
    Chromium's default font size, the setting behind "Font size" in its settings and Android's
    largest text (200%), is raised through the DevTools protocol, so every size in rem and em
    grows and nothing set in px does, as on a child's phone. Page zoom would not do: at 200% it
    is the 320 px reflow check again, with the text no larger than the layout. The phone is
    375 px wide, a common one: doubled text at 320 px asks 1.4.4 and 1.4.10 at once (text at
    400% of the layout), beyond AA.
    """
    cdp = page.context.new_cdp_session(page)
    before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16 * scale, "fixed": 13 * scale}})
    try:
        after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        if after < before * scale * 0.99:
            return f"the text did not grow: {before}px, then {after}px"
        wide = sideways(page)
        return f"{wide}: {page.evaluate(STICKING_OUT)}" if wide else None
    finally:
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
        cdp.detach()


def problems_at_every_size(page: Page) -> dict[str, object]:
    """What axe finds in a wide window, targets under 44 px on a phone, and sideways scrolling at
    320 px and with text at 200% on a phone: on the page as it is now. Leaves it at 320 px."""
    found: dict[str, object] = {}
    page.set_viewport_size(WIDE)
    report = axe_report(page)
    if report:
        found["axe"] = report
    page.set_viewport_size(PHONE)
    small = small_targets(page)
    if small:
        found["targets under 44px at 375px"] = small
    larger = sideways_with_larger_text(page)
    if larger:
        found["scrolls sideways at 375px with text at 200%"] = larger
    page.set_viewport_size(SMALLEST)
    wide = sideways(page)
    if wide:
        found["scrolls sideways at 320px"] = wide
    return found


def printed_on_a4(page: Page, folder: Path) -> tuple[str, int]:
    """The page as it is now, printed on A4 by Chromium into `folder`/printed.pdf: its text,
    read back by pdftotext with every run of whitespace made one space, and its pages."""
    pdf = folder / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert found is not None, info
    return " ".join(text.split()), int(found[1])
