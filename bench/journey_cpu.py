"""CPU time of a child's whole Tell Us journey, in process, by kind of request.

bench/cpu.py times one question and one answer again and again on one phone; a journey is 30
requests on a new phone each time (bench/loadgen.py `journey`): the start page, each step's
question and answer, the check page, the send and the confirmation. Here whole journeys are
walked through the test client in the app as production runs it (bench/cpu.py's), each request
timed by this process's CPU, and the figures are the mean microseconds per request of each kind
and per journey without the send (the send is timed alone by bench/cpu.py). Each is given twice:
inside the app (its WSGI call, what gunicorn's worker spends beyond parsing HTTP) and with the
test client's own work around it (building the request, keeping the cookies).

    OUR_PROMISE_ENV=testing python -m bench.journey_cpu

BENCH_JOURNEYS sets how many journeys are timed (default 60, after 10 untimed);
BENCH_JOURNEY_PROFILE=question (or start, answer, check, sent) prints where that kind's CPU goes,
BENCH_PROFILE_CALLERS=regex who calls what.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import time
import zlib
from collections import defaultdict
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from bench import cpu
from tests.journey import STEPS

JOURNEYS = int(os.environ.get("BENCH_JOURNEYS", "60"))
WARM = 10
# One kind of request to profile (start, question, answer, check, sent), its figure then slower.
PROFILED = os.environ.get("BENCH_JOURNEY_PROFILE", "")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KEY = re.compile(r'name="submission_key"[^>]*value="([^"]+)"')
# What a phone behind the TLS proxy sends, as bench/loadgen.py's phones do.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
KINDS = ("start", "question", "answer", "check", "send", "sent")


def _value(pattern: re.Pattern[str], html: str) -> str:
    found = pattern.search(html)
    assert found is not None, pattern.pattern
    return found.group(1)


class InApp:
    """The app's WSGI call, its CPU time added up (the body made in it, as a server sends it)."""

    def __init__(self, app: Flask) -> None:
        self.wsgi = app.wsgi_app
        self.used = 0.0
        app.wsgi_app = self  # type: ignore[method-assign]

    def __call__(self, environ: Any, start_response: Any) -> list[bytes]:
        started = time.process_time()
        try:
            return list(self.wsgi(environ, start_response))
        finally:
            self.used += time.process_time() - started


def walk(
    client: FlaskClient,
    used: dict[str, list[float]],
    profile: cProfile.Profile | None = None,
) -> None:
    """One journey, as bench/loadgen.py's, each request's CPU added to `used` by its kind, and
    inside the app to `used["app " + kind]` (the requests of the kind BENCH_JOURNEY_PROFILE
    names profiled into `profile`)."""
    in_app = client.application.wsgi_app
    assert isinstance(in_app, InApp)

    def timed(kind: str, method: str, path: str, expect: int, form: Any = None) -> str:
        profiled = profile if kind == PROFILED else None
        if profiled is not None:
            profiled.enable()
        before = in_app.used
        started = time.process_time()
        response = client.open(path, method=method, data=form, base_url=cpu.BASE, headers=HEADERS)
        used[kind].append(time.process_time() - started)
        used[f"app {kind}"].append(in_app.used - before)
        if profiled is not None:
            profiled.disable()
        assert response.status_code == expect, (path, response.status_code)
        if expect != 200:
            return ""
        body = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            body = zlib.decompress(body, zlib.MAX_WBITS | 16)
        return body.decode()

    timed("start", "GET", "/tell-us", 200)
    for step, data in STEPS.items():
        page = timed("question", "GET", f"/tell-us/{step}", 200)
        timed(
            "answer", "POST", f"/tell-us/{step}", 303, {"csrf_token": _value(TOKEN, page), **data}
        )
    check = timed("check", "GET", "/tell-us/check", 200)
    send = {"csrf_token": _value(TOKEN, check), "submission_key": _value(KEY, check)}
    timed("send", "POST", "/tell-us/send", 303, send)
    timed("sent", "GET", "/tell-us/sent", 200)


def measure(app: Flask, profile: cProfile.Profile | None = None) -> dict[str, float]:
    """Mean microseconds of CPU: each kind of request, and a journey and its mean request
    without the send, in the app ("app ...") and with the test client's work."""
    InApp(app)
    used: dict[str, list[float]] = defaultdict(list)
    for number in range(WARM):
        walk(cpu.phone(app, 1000 + number), defaultdict(list))
    for number in range(JOURNEYS):
        walk(cpu.phone(app, 2000 + number), used, profile)
    mean = {}
    for prefix in ("app ", ""):
        for kind in KINDS:
            mean[prefix + kind] = sum(used[prefix + kind]) / len(used[prefix + kind]) * 1e6
        others = [used[prefix + kind] for kind in KINDS if kind != "send"]
        mean[f"{prefix}journey without send"] = sum(map(sum, others)) / JOURNEYS * 1e6
        mean[f"{prefix}request without send"] = sum(map(sum, others)) / sum(map(len, others)) * 1e6
    return mean


def main() -> None:
    profile = cProfile.Profile(time.process_time) if PROFILED else None
    with cpu.production_app() as app:
        mean = measure(app, profile)
    for name, value in mean.items():
        print(f"{name}: {value:,.0f} us CPU")
    if profile is not None:
        stats = pstats.Stats(profile).strip_dirs()
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(60)
        for name in os.environ.get("BENCH_PROFILE_CALLERS", "").split(","):
            if name:
                stats.print_callers(name)


if __name__ == "__main__":
    main()
