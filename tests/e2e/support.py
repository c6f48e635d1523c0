"""What the browser tests share with each other and with bench/."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, Response, Route
from werkzeug.serving import make_server

from app import create_app
from tests.helpers import migrate, settings_for

NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


@contextmanager
def live_server(workdir: Path) -> Iterator[str]:
    """The app on a fresh SQLite database, served on a free port of 127.0.0.1."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line a request drowns the report
    url = f"sqlite:///{workdir / 'live.sqlite3'}"
    migrate(url)
    server = make_server("127.0.0.1", 0, create_app(settings_for(url)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def first_load_bytes(page: Page, url: str) -> int:
    """Bytes on the wire (headers and compressed bodies) for a visit with an empty cache."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.clearBrowserCache")
    responses: list[Response] = []

    def record(response: Response) -> None:
        responses.append(response)

    page.on("response", record)
    page.goto(url, wait_until="load")  # every image, style sheet and script has arrived
    page.remove_listener("response", record)
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
