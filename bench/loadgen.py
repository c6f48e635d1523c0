"""A small load generator for what wrk cannot do: a child's whole message, and the final send.

A journey needs each page's CSRF token, the session cookie the server keeps changing, and the
one-time submission key, so it is driven from Python here (wrk drives the single pages,
bench/server.py). bench/server.py runs this in its own process, as wrk is:

    python -m bench.loadgen journeys --port 8000 --clients 8 --seconds 20
    python -m bench.loadgen sends --port 8000 --clients 8 --count 400

and reads one JSON object from its output. Every phone comes from its own address (the proxy's
X-Forwarded-For), as children on their own phones do. gunicorn's sync workers close the
connection after each response, so each request opens one, as wrk's requests do too.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import re
import resource
import threading
import time
import urllib.parse
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from typing import Any

import brotli

from bench.production import BROWSER_HEADERS, PROXY_HEADERS
from bench.results import summary_ms
from tests.journey import STEPS

TIMEOUT = 60.0
# A journey: the start, each step's page and answer, check, send, confirmation (issue 11 made
# it one question a page, so 13 steps; issue 15's "16 requests" counted the 6 steps of then).
JOURNEY_REQUESTS = 1 + 2 * len(STEPS) + 3
INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
VALUE = re.compile(r'\bvalue="([^"]*)"')
_addresses = itertools.count(1)
_address_lock = threading.Lock()


def next_address() -> str:
    """A new phone's address: 10.x.y.z, never the same twice in a run."""
    with _address_lock:
        n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def field_value(html: str, name: str) -> str:
    """The value of the (first) input named `name` in a page."""
    for tag in INPUT.findall(html):
        if f'name="{name}"' in tag:
            found = VALUE.search(tag)
            if found:
                return found.group(1)
    raise LookupError(f"no input named {name!r} in the page")


def unpacked(body: bytes, coding: str | None) -> bytes:
    """A response's body as the page it is, whichever coding the server chose."""
    if coding == "gzip":
        return zlib.decompress(body, zlib.MAX_WBITS | 16)
    if coding == "br":
        return bytes(brotli.decompress(body))
    return body


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str
    seconds: float


class Unexpected(Exception):
    def __init__(self, label: str, status: int) -> None:
        super().__init__(f"{label}: {status}")
        self.label = label
        self.status = status


@dataclass
class Phone:
    """A child's phone as gunicorn sees it through the TLS proxy."""

    port: int
    address: str = field(default_factory=next_address)
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> Reply:
        headers = {
            **PROXY_HEADERS,
            "X-Forwarded-For": self.address,
            "Accept-Encoding": BROWSER_HEADERS["Accept-Encoding"],  # as a phone's browser
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        connection = HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        raw = unpacked(raw, response.headers.get("Content-Encoding"))
        for line in response.headers.get_all("Set-Cookie") or []:
            self._keep(line)
        return Reply(
            response.status,
            dict(response.headers.items()),
            raw.decode("utf-8", errors="replace"),
            seconds,
        )

    def _keep(self, line: str) -> None:
        cookie = SimpleCookie()
        cookie.load(line)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


@dataclass
class Tally:
    """Every request's time by label, and what went wrong."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    journeys: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(
        self, phone: Phone, label: str, method: str, path: str, expect: int, form: Any = None
    ) -> Reply:
        try:
            reply = phone.request(method, path, form)
        except OSError as error:
            with self.lock:
                self.errors[f"{label}: {type(error).__name__}"] += 1
            raise
        with self.lock:
            self.times[label].append(reply.seconds)
            self.statuses[reply.status] += 1
        if reply.status != expect:
            with self.lock:
                self.errors[f"{label}: {reply.status}"] += 1
            raise Unexpected(label, reply.status)
        return reply

    def all_times(self) -> list[float]:
        return [t for times in self.times.values() for t in times]

    def report(self) -> dict[str, Any]:
        everything = self.all_times()
        return {
            "requests": len(everything),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors.most_common(10)),
            "latency_ms": summary_ms(everything) if everything else None,
            "by_label_ms": {
                label: {**summary_ms(times), "n": len(times)}
                for label, times in sorted(self.times.items())
            },
        }


def journey(phone: Phone, tally: Tally) -> None:
    """A child's whole message: the start page, every step's page and answer, check, send,
    and the confirmation (JOURNEY_REQUESTS)."""
    tally.call(phone, "GET /tell-us", "GET", "/tell-us", 200)
    for step, data in STEPS.items():
        page = tally.call(phone, f"GET /tell-us/{step}", "GET", f"/tell-us/{step}", 200)
        form = {"csrf_token": field_value(page.text, "csrf_token"), **data}
        tally.call(phone, f"POST /tell-us/{step}", "POST", f"/tell-us/{step}", 303, form)
    check = tally.call(phone, "GET /tell-us/check", "GET", "/tell-us/check", 200)
    send = {
        "csrf_token": field_value(check.text, "csrf_token"),
        "submission_key": field_value(check.text, "submission_key"),
    }
    sent = tally.call(phone, "POST /tell-us/send", "POST", "/tell-us/send", 303, send)
    if sent.headers.get("Location") != "/tell-us/sent":
        raise Unexpected("POST /tell-us/send went elsewhere", sent.status)
    tally.call(phone, "GET /tell-us/sent", "GET", "/tell-us/sent", 200)


def ready_to_send(port: int, tally: Tally) -> tuple[Phone, dict[str, str]]:
    """A phone whose message waits on "check your answers", and the send button's form: the
    fewest requests (one page for the session's token, each answer, the check page)."""
    phone = Phone(port)
    page = tally.call(phone, "GET /tell-us/what", "GET", "/tell-us/what", 200)
    token = field_value(page.text, "csrf_token")
    for step, data in STEPS.items():
        tally.call(
            phone,
            f"POST /tell-us/{step}",
            "POST",
            f"/tell-us/{step}",
            303,
            {
                "csrf_token": token,
                **data,
            },
        )
    check = tally.call(phone, "GET /tell-us/check", "GET", "/tell-us/check", 200)
    return phone, {
        "csrf_token": field_value(check.text, "csrf_token"),
        "submission_key": field_value(check.text, "submission_key"),
    }


def _until(deadline: float, work: Callable[[], None], tally: Tally) -> None:
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            work()
        except (Unexpected, OSError, LookupError):
            continue
        with tally.lock:
            tally.journeys.append(time.perf_counter() - started)


def own_cpu_s() -> float:
    """This load generator's processor time so far: what it takes from the machine's two cores,
    which the server then cannot use (reported beside each figure, so that cost is seen)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def run_journeys(port: int, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` children each sending message after message for `seconds`."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    cpu = own_cpu_s()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(clients):
            pool.submit(_until, deadline, lambda: journey(Phone(port), tally), tally)
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "journeys": len(tally.journeys),
        "journeys_per_s": round(len(tally.journeys) / elapsed, 2),
        "requests_per_s": round(len(tally.all_times()) / elapsed, 1),
        "journey_ms": summary_ms(tally.journeys) if tally.journeys else None,
        "load_generator_cpu_share": round((own_cpu_s() - cpu) / elapsed, 2),
        **tally.report(),
    }


def run_sends(port: int, clients: int, count: int) -> dict[str, Any]:
    """`count` messages made ready (not timed), then all sent by `clients` at once: the
    final send's own throughput and latency."""
    preparing = Tally()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        ready = list(pool.map(lambda _: ready_to_send(port, preparing), range(count)))
    tally = Tally()

    def send(item: tuple[Phone, dict[str, str]]) -> None:
        phone, form = item
        with contextlib.suppress(Unexpected, OSError):  # counted in the tally
            tally.call(phone, "POST /tell-us/send", "POST", "/tell-us/send", 303, form)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(send, ready))
    elapsed = time.perf_counter() - started
    sent = len(tally.times["POST /tell-us/send"]) - sum(tally.errors.values())
    return {
        "clients": clients,
        "count": count,
        "seconds": round(elapsed, 2),
        "sends_per_s": round(sent / elapsed, 1),
        "preparing_errors": sum(preparing.errors.values()),
        **tally.report(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["journeys", "sends"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--count", type=int, default=400)
    args = parser.parse_args()
    if args.mode == "journeys":
        result = run_journeys(args.port, args.clients, args.seconds)
    else:
        result = run_sends(args.port, args.clients, args.count)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
