"""Where one page's CPU goes: cProfile, timed by process time, over bench/cpu.py's setup.

`python -m bench.profile status_page` (or healthz, home, promises, tell_us_step, tell_us_answer,
send) runs that request BENCH_PROFILE_REQUESTS times (default 300) in the app with production
settings on a fresh PostgreSQL database, exactly as `make bench-cpu` times it, and prints the
functions that used the most processor time, by their own time and with what they call.
Process time, not wall-clock time: a profile of a shared machine then shows the app's own cost,
not the time it waited for the database or for other people's work.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from bench import cpu
from tests import journey

TIMES = int(os.environ.get("BENCH_PROFILE_REQUESTS", "300"))
SHOWN = int(os.environ.get("BENCH_PROFILE_LINES", "40"))
WARM = 20  # requests first, unprofiled: connections open, templates compiled


def requests(app: Flask, name: str) -> list[Callable[[], Any]]:
    """The calls to make: the same request, or sends made ready, `WARM` + `TIMES` of them."""
    if name == "send":
        ready = []
        for number in range(TIMES + WARM):
            client = cpu.phone(app, 100 + number)
            journey.fill_in(client)
            ready.append((client, journey.send_form(client)))
        return [lambda c=c, f=f: journey.send(c, f) for c, f in ready]  # type: ignore[misc]
    if name == "tell_us_answer":
        client = cpu.chosen(app, "10_plus", False)
        form = cpu.answer_form(client)
        return [lambda: cpu.answer(client, form)] * (TIMES + WARM)
    base = cpu.BASE
    if name == "status_page":
        client = cpu.phone(app, 1)
        path, base = f"/messages/{journey.send_message(client)}", cpu.JOURNEY_BASE
    else:
        symbols = name == "promises_symbols"
        client = cpu.chosen(app, "5_to_9" if symbols else "10_plus", symbols)
        path = {
            "healthz": "/healthz",
            "home": "/",
            "promises": "/promises",
            "promises_symbols": "/promises",
            "tell_us_step": "/tell-us/what",
        }[name]
    assert client.get(path, base_url=base).status_code == 200, "an error page, not the page"
    return [lambda: client.get(path, base_url=base, headers=cpu.HEADERS)] * (TIMES + WARM)


def main(name: str) -> None:
    with cpu.production_app() as app:
        calls = requests(app, name)
        for call in calls[:WARM]:
            call()
        calls = calls[WARM:]
        profile = cProfile.Profile(time.process_time)
        started = time.process_time()
        profile.enable()
        for call in calls:
            call()
        profile.disable()
        used = (time.process_time() - started) / len(calls) * 1e6
    print(f"{name}: {used:.0f} us CPU a request (profiled, so slower than bench-cpu's figure)")
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("tottime").print_stats(SHOWN)
    stats.sort_stats("cumulative").print_stats(SHOWN)
    for name in os.environ.get("BENCH_PROFILE_CALLERS", "").split(","):
        if name:
            stats.print_callers(name)  # who calls a function named here (a regex)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "status_page")
