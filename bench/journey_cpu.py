"""CPU time of a child's whole Tell Us journey, in process, by kind of request.

bench/cpu.py times one question and one answer again and again on one phone; a journey is 30
requests on a new phone each time (bench/loadgen.py `journey`): the start page, each step's
question and answer, the check page, the send and the confirmation. Here whole journeys are
walked through the test client in the app as production runs it (bench/cpu.py's), each request
timed by this process's CPU, and the figures are the mean microseconds per request of each kind
and per journey without the send (the send is timed alone by bench/cpu.py).

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


def walk(
    client: FlaskClient, used: dict[str, list[float]], profile: cProfile.Profile | None = None
) -> None:
    """One journey, as bench/loadgen.py's, each request's CPU added to `used` by its kind (and
    the requests of the kind BENCH_JOURNEY_PROFILE names profiled into `profile`)."""

    def timed(kind: str, method: str, path: str, expect: int, form: Any = None) -> str:
        profiled = profile is not None and kind == PROFILED
        if profiled:
            profile.enable()
        started = time.process_time()
        response = client.open(path, method=method, data=form, base_url=cpu.BASE, headers=HEADERS)
        used[kind].append(time.process_time() - started)
        if profiled:
            profile.disable()
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
    used: dict[str, list[float]] = defaultdict(list)
    for number in range(WARM):
        walk(cpu.phone(app, 1000 + number), defaultdict(list))
    for number in range(JOURNEYS):
        walk(cpu.phone(app, 2000 + number), used, profile)
    mean = {kind: sum(used[kind]) / len(used[kind]) * 1e6 for kind in KINDS}
    mean["journey_without_send"] = (
        sum(sum(times) for kind, times in used.items() if kind != "send") / JOURNEYS * 1e6
    )
    mean["request_without_send"] = (
        mean["journey_without_send"]
        / sum(len(times) for kind, times in used.items() if kind != "send")
        * JOURNEYS
    )
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
