"""CPU time per request, in process: what each page costs the server, beside bare Flask's.

wrk's requests a second swing with whatever else the shared machine runs (bare Flask itself
measured 1,950 to 3,840 in one evening). The processor time one request takes, counted by the
process itself (time.process_time) through the Flask test client, moves much less with load,
so it is what shows a change in the app's own cost. The app runs with production settings on a
fresh PostgreSQL database (limits in memory: one process); bare Flask is bench/bare.py's.
Each figure is microseconds of CPU per request and its ratio to bare Flask's, the same
ratio the server part's budget asks of throughput (a page at 0.5x bare throughput costs at
most 2x bare's CPU); the send is timed alone, after its messages were made ready.

BENCH_CPU_REQUESTS sets how many requests each figure times (default 1,000; 100 sends).
BENCH_CPU_BEFORE names the results.json of a run on an earlier commit (its worktree's): each
figure then also says what it was there (`before_us`, `before_x_bare`), measured just before.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from bench import results
from bench.bare import app as bare_app
from tests import journey  # the test suite's own journey, as bench/loadgen.py's
from tests.databases import find_postgres
from tests.helpers import TEST_KEY, migrate

REQUESTS = int(os.environ.get("BENCH_CPU_REQUESTS", "1000"))
SENDS = max(REQUESTS // 10, 20)
BASE = "https://promise.council.example"
JOURNEY_BASE = "http://localhost"  # where tests/journey.py walks (the test client's default)
# What a phone behind the TLS proxy sends (bench/production.py's PROXY_HEADERS).
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, deflate, br"}
# Production as bench/production.py starts it, in this one process.
PRODUCTION = {
    "OUR_PROMISE_ENV": "production",
    "BASE_URL": BASE,
    "MAIL_TRANSPORT": "log",
    "PROXY_COUNT": "1",
    "WEB_CONCURRENCY": "1",
    "LIMIT_SEND": "1000000 per hour",
    "LIMIT_STATUS_LOOKUP": "1000000 per hour",
}


def cpu_us(request: Callable[[], Any], times: int = REQUESTS) -> float:
    for _ in range(min(50, times)):
        request()  # warm: kept pages made, connections open
    started = time.process_time()
    for _ in range(times):
        request()
    return (time.process_time() - started) / times * 1e6


def phone(app: Flask, number: int) -> FlaskClient:
    client = app.test_client()
    client.environ_base.update(
        {
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_X_FORWARDED_FOR": f"10.9.{number // 250}.{number % 250 + 1}",
        }
    )
    return client


def chosen(app: Flask, age: str, symbols: bool) -> FlaskClient:
    client = phone(app, 0)
    page = client.get("/choose", base_url=BASE).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None, "no CSRF token on /choose"
    form = {"csrf_token": token.group(1), "age": age, "symbols": "yes" if symbols else "no"}
    sent = client.post("/choose", data={**form, "next": "/promises"}, base_url=BASE)
    assert sent.status_code == 303, sent.status_code
    return client


def answer_form(client: FlaskClient) -> dict[str, str]:
    """A Tell Us question's answer as its page posts it: "what" answered, with its token."""
    page = client.get("/tell-us/what", base_url=BASE).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None, "no CSRF token on /tell-us/what"
    return {"csrf_token": token.group(1), **journey.STEPS["what"]}


def answer(client: FlaskClient, form: dict[str, str]) -> Any:
    """The answer posted: checked, kept in the draft, and on to the next question."""
    response = client.post("/tell-us/what", data=form, base_url=BASE, headers=HEADERS)
    assert response.status_code == 303, response.status_code
    return response


def measure(app: Flask) -> list[dict[str, Any]]:
    bare = bare_app.test_client()
    bare_us = cpu_us(lambda: bare.get("/", headers=HEADERS))
    sender = phone(app, 1)
    reference = journey.send_message(sender)
    ten, five_symbols = chosen(app, "10_plus", False), chosen(app, "5_to_9", True)
    # The sender walked the journey on the test client's own host, where its cookie (and so the
    # message's secret) is kept: its status page is asked for there, or it is a 404 page.
    pages: list[tuple[str, FlaskClient, str, str, str]] = [
        ("healthz", phone(app, 2), "/healthz", BASE, "/healthz"),
        ("home", phone(app, 3), "/", BASE, "home page"),
        ("promises", ten, "/promises", BASE, "10+ promises page"),
        ("promises_symbols_5_to_9", five_symbols, "/promises", BASE, "5-9 promises page, symbols"),
        ("tell_us_step", ten, "/tell-us/what", BASE, "a Tell Us question (a form page)"),
        ("status_page", sender, f"/messages/{reference}", JOURNEY_BASE, "a message's status page"),
    ]
    found = []
    for name, client, path, base, what in pages:

        def get(c: FlaskClient = client, p: str = path, b: str = base) -> Any:
            return c.get(p, base_url=b, headers=HEADERS)

        assert get().status_code == 200, (name, get().status_code)  # the page, not an error's
        found.append(_figure(name, cpu_us(get), bare_us, what))
    form = answer_form(ten)
    used = cpu_us(lambda: answer(ten, form))
    found.append(_figure("tell_us_answer", used, bare_us, "a Tell Us answer posted (a form POST)"))
    # The final send: messages made ready first, untimed, then each sent once.
    ready = []
    for number in range(SENDS):
        client = phone(app, 100 + number)
        journey.fill_in(client)
        ready.append((client, journey.send_form(client)))
    started = time.process_time()
    for client, form in ready:
        response = journey.send(client, form)
        assert response.status_code == 303, response.status_code
    send_us = (time.process_time() - started) / len(ready) * 1e6
    found.append(_figure("send", send_us, bare_us, "the final send (its POST alone)"))
    found.append(
        results.figure(
            "cpu_us_bare", round(bare_us, 1), "us CPU / request", None, what="bare Flask"
        )
    )
    return found


def _figure(name: str, used: float, bare_us: float, what: str) -> dict[str, Any]:
    return results.figure(
        f"cpu_us_{name}",
        round(used, 1),
        "us CPU / request",
        None,
        x_bare=round(used / bare_us, 2),
        what=what,
    )


@contextmanager
def production_app() -> Iterator[Flask]:
    """The app as production runs it, in this process, on a fresh migrated PostgreSQL database
    that is dropped afterwards (bench/profile.py's too)."""
    with find_postgres() as postgres:
        if postgres is None:
            raise SystemExit("no PostgreSQL to measure on")
        with postgres.fresh_database() as url:
            migrate(url)
            os.environ.update(
                {
                    **PRODUCTION,
                    "SECRET_KEY": secrets.token_hex(32),
                    "ENCRYPTION_KEYS": TEST_KEY,
                    "DATABASE_URL": url,
                }
            )
            app = create_app()
            try:
                yield app
            finally:
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()


def main() -> None:
    with production_app() as app:
        found = measure(app)
    before = os.environ.get("BENCH_CPU_BEFORE")
    if before:
        earlier = {item["name"]: item for item in results.read(Path(before))}
        for item in found:
            if item["name"] in earlier:
                item["before_us"] = earlier[item["name"]]["value"]
                item["before_x_bare"] = earlier[item["name"]].get("x_bare")
    for item in found:
        print(f"{item['name']}: {item['value']} us CPU, {item.get('x_bare', 1)}x bare")
    results.save(found, part="cpu")


if __name__ == "__main__":
    main()
