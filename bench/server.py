"""Server throughput and latency: the app behind gunicorn, against bare Flask in the same run.

bench/production.py starts the app (2 sync workers, production settings, PostgreSQL, Redis)
and the bare Flask yardstick. Then, from other processes over loopback:

- wrk (-t2 -c32, bench/wrk_report.lua) on each single page, with the headers and cookies a
  phone behind the TLS proxy sends: the 10+ promises page, the 5-9 symbol-mode promises page,
  home, /healthz, a message's status page as the phone that sent it sees it, and the staff
  tracker signed in (password and TOTP through the sign-in page). Each page is measured right
  after the yardstick, so its ratio holds on a busy machine.
- bench/loadgen.py for what needs a flow: whole journeys at 8 and 32 clients (30 requests
  each with 13 steps: the start, every step's page and answer, check, send, confirmation), and
  the final send alone (messages made ready first, untimed; then all sent at once).

`python -m bench.server` (make bench-server) prints the figures and merges them into
bench/results.json. BENCH_SECONDS sets each wrk run's length (default 8), BENCH_JOURNEY_SECONDS
each journey run's (default 20), BENCH_SENDS how many final sends at each concurrency (400).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from app import create_app
from app.extensions import db
from bench import results
from bench.loadgen import JOURNEY_REQUESTS, Phone, Tally, field_value, journey
from bench.production import BROWSER_HEADERS, ROOT, Site, production_site
from tests.helpers import TEST_KEY, settings_for
from tests.staff_helpers import PASSWORD, code_for, make_staff

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
JOURNEY_SECONDS = os.environ.get("BENCH_JOURNEY_SECONDS", "20")
SENDS = int(os.environ.get("BENCH_SENDS", "400"))
CONNECTIONS = 32
LUA = Path(__file__).with_name("wrk_report.lua")
PART = "server"


def wrk(url: str, headers: dict[str, str], seconds: int = SECONDS) -> dict[str, Any]:
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is not installed: make bench-server installs it (apt)")
    args = [binary, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    done = subprocess.run(  # noqa: S603
        [*args, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    line = [row for row in done.stdout.splitlines() if row.startswith("{")][-1]
    raw = json.loads(line)
    elapsed = raw["duration_us"] / 1e6
    errors = sum(raw["errors"].values())
    return {
        "rps": round(raw["requests"] / elapsed, 1),
        "requests": raw["requests"],
        "errors": errors,
        "error_kinds": {k: v for k, v in raw["errors"].items() if v},
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "kb_per_response": round(raw["bytes"] / max(raw["requests"], 1) / 1024, 2),
    }


def loadgen(site: Site, *args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.loadgen", *args, "--port", str(site.app.port)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _cookie(phone: Phone) -> str:
    return "; ".join(f"{k}={v}" for k, v in phone.cookies.items())


def chosen(site: Site, age: str, symbols: bool) -> Phone:
    """A phone that has chosen its age band (and symbols) through the form."""
    phone = Phone(site.app.port)
    page = phone.request("GET", "/choose")
    form = {
        "csrf_token": field_value(page.text, "csrf_token"),
        "age": age,
        "symbols": "yes" if symbols else "no",
        "next": "/promises",
    }
    sent = phone.request("POST", "/choose", form)
    assert sent.status == 303, sent.status
    return phone


def signed_in_staff(site: Site) -> Phone:
    """A head of service signed in through the page: password, then the code of the moment."""
    app = create_app(settings_for(site.database_url, ENCRYPTION_KEYS=[TEST_KEY]))
    with app.app_context():
        user = make_staff("head_of_service", "Bench Head")
        email, code = user.email, code_for(user, dt.datetime.now(dt.UTC))
        db.session.remove()
        db.engine.dispose()
    phone = Phone(site.app.port)
    page = phone.request("GET", "/staff/sign-in")
    form = {
        "csrf_token": field_value(page.text, "csrf_token"),
        "email": email,
        "password": PASSWORD,
        "code": code,
    }
    signed = phone.request("POST", "/staff/sign-in", form)
    assert signed.status == 303, (signed.status, signed.text[:300])
    return phone


def targets(site: Site) -> list[tuple[str, str, Phone | None, float | None, str]]:
    """(name, path, phone whose cookies to send, budget as a ratio to bare, what it shows)."""
    sender = Phone(site.app.port)
    journey(sender, Tally())
    reference = field_value_reference(sender.request("GET", "/tell-us/sent").text)
    return [
        ("promises", "/promises", chosen(site, "10_plus", False), 0.5, "10+ promises page"),
        (
            "promises_symbols_5_to_9",
            "/promises",
            chosen(site, "5_to_9", True),
            0.5,
            "5-9 promises page in symbol mode",
        ),
        ("home", "/", None, 0.5, "home page"),
        ("healthz", "/healthz", None, 0.8, "/healthz"),
        (
            "status_page",
            f"/messages/{reference}",
            sender,
            0.5,
            "a message's status page, on the phone that sent it",
        ),
        ("tracker", "/staff/tracker", signed_in_staff(site), None, "staff tracker, signed in"),
    ]


def field_value_reference(html: str) -> str:
    """The reference the confirmation page shows (its element with class "reference")."""
    found = re.search(r'class="reference"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert found is not None, "the confirmation shows no reference"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def single_pages(site: Site) -> list[dict[str, Any]]:
    assert site.bare is not None
    figures = []
    for name, path, phone, budget, what in targets(site):
        headers = {**BROWSER_HEADERS, "X-Forwarded-For": "10.250.0.1"}
        if phone is not None:
            headers["Cookie"] = _cookie(phone)
            headers["X-Forwarded-For"] = phone.address
            check = phone.request("GET", path)
        else:
            check = Phone(site.app.port).request("GET", path)
        assert check.status == 200, f"{path} answered {check.status}, not 200"
        bare = wrk(f"{site.bare.url}/", BROWSER_HEADERS)
        page = wrk(f"{site.app.url}{path}", headers)
        print(
            f"{what:<52} {page['rps']:>7.1f} req/s ({page['rps'] / bare['rps']:.2f}x bare "
            f"{bare['rps']:.0f}), p50 {page['p50_ms']} p95 {page['p95_ms']} "
            f"p99 {page['p99_ms']} ms, errors {page['errors']}",
            flush=True,
        )
        figures.append(
            results.figure(
                f"{name}_vs_bare",
                results.ratio(page["rps"], bare["rps"]),
                "x bare Flask req/s",
                budget,
                comparison=">=",
                what=what,
                rps=page["rps"],
                bare_rps=bare["rps"],
                p50_ms=page["p50_ms"],
                p95_ms=page["p95_ms"],
                p99_ms=page["p99_ms"],
                bare_p50_ms=bare["p50_ms"],
                bare_p95_ms=bare["p95_ms"],
                bare_p99_ms=bare["p99_ms"],
                p50_vs_bare=results.ratio(page["p50_ms"], bare["p50_ms"]),
                p95_vs_bare=results.ratio(page["p95_ms"], bare["p95_ms"]),
                p99_vs_bare=results.ratio(page["p99_ms"], bare["p99_ms"]),
                errors=page["errors"] + bare["errors"],
                error_kinds=page["error_kinds"],
                kb_per_response=page["kb_per_response"],
                load_generator=f"wrk -t2 -c{CONNECTIONS} -d{SECONDS}s",
            )
        )
    return figures


def flows(site: Site) -> list[dict[str, Any]]:
    figures = []
    for clients in (8, 32):
        cpu = site.app.cpu_seconds()
        run = loadgen(site, "journeys", "--clients", str(clients), "--seconds", JOURNEY_SECONDS)
        server_cpu_ms = (site.app.cpu_seconds() - cpu) * 1000
        send = run["by_label_ms"].get("POST /tell-us/send", {})
        print(
            f"whole journeys at {clients} clients: {run['journeys_per_s']}/s "
            f"({run['requests_per_s']} req/s), final send p99 {send.get('p99')} ms, "
            f"server CPU {server_cpu_ms / max(run['requests'], 1):.2f} ms a request, load "
            f"generator {run['load_generator_cpu_share']} of a core, "
            f"errors {run['errors']} {run['error_kinds']}",
            flush=True,
        )
        figures.append(
            results.figure(
                f"journeys_per_s_{clients}",
                run["journeys_per_s"],
                "journeys/s",
                40,
                comparison=">=",
                what=(
                    f"whole messages ({JOURNEY_REQUESTS} requests each) through the server, "
                    f"{clients} clients"
                ),
                clients=clients,
                requests_per_s=run["requests_per_s"],
                journey_ms=run["journey_ms"],
                latency_ms=run["latency_ms"],
                errors=run["errors"],
                error_kinds=run["error_kinds"],
                send_in_journey_ms=send,
                slowest_steps_p95_ms=dict(
                    sorted(
                        ((k, v["p95"]) for k, v in run["by_label_ms"].items()),
                        key=lambda kv: -kv[1],
                    )[:5]
                ),
                load_generator="bench/loadgen.py (Python, own process)",
                load_generator_cpu_share=run["load_generator_cpu_share"],
                server_cpu_ms_per_journey=round(server_cpu_ms / max(run["journeys"], 1), 1),
                server_cpu_ms_per_request=round(server_cpu_ms / max(run["requests"], 1), 2),
            )
        )
        figures.append(
            results.figure(
                f"submission_p99_ms_in_journeys_{clients}",
                send.get("p99"),
                "ms",
                100,
                what=f"the final send's p99 inside whole journeys, {clients} clients",
                p50_ms=send.get("p50"),
                p95_ms=send.get("p95"),
                note="" if send else "no send was measured",
            )
        )
    for clients, count in ((8, SENDS), (32, SENDS)):
        run = loadgen(site, "sends", "--clients", str(clients), "--count", str(count))
        send = run["by_label_ms"].get("POST /tell-us/send", {})
        print(
            f"final send alone, {count} at {clients} clients: {run['sends_per_s']}/s, "
            f"p50 {send.get('p50')} p99 {send.get('p99')} ms, errors {run['errors']}",
            flush=True,
        )
        suffix = "" if clients == 8 else f"_{clients}"
        common = {
            "clients": clients,
            "count": count,
            "errors": run["errors"] + run["preparing_errors"],
            "error_kinds": run["error_kinds"],
        }
        figures.append(
            results.figure(
                f"submissions_per_s{suffix}",
                run["sends_per_s"],
                "sends/s",
                300,
                comparison=">=",
                what=f"the final send alone, {count} ready messages sent by {clients} clients",
                **common,
            )
        )
        figures.append(
            results.figure(
                f"submission_p99_ms{suffix}",
                send.get("p99"),
                "ms",
                100,
                what=f"the final send alone, p99, {clients} clients",
                p50_ms=send.get("p50"),
                p95_ms=send.get("p95"),
                note="" if send else "no send was measured",
                **common,
            )
        )
    return figures


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="bench-server-") as work,
        production_site(Path(work)) as site,
    ):
        figures = flows(site)  # first: the tracker then shows the contacts they made
        figures += single_pages(site)
        errors = sum(int(f.get("errors") or 0) for f in figures)
        figures.append(
            results.figure(
                "server_errors",
                errors,
                "responses not 2xx/3xx, or failed",
                0,
                comparison="==",
                what="every server run above, wrk and loadgen together",
            )
        )
    results.save(figures, PART)
    print(f"server: {len(figures)} figures written to {results.RESULTS}")


if __name__ == "__main__":
    main()
