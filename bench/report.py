"""docs/benchmarks.md, written from bench/results.json: never edit the page by hand.

`python -m bench.report` (the last step of `make bench`, and of each `make bench-...`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench import results

PAGE = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
PARTS = {
    "server": "Server: throughput and latency against bare Flask (gunicorn, 2 sync workers)",
    "weight": "Page weight: first load in Chromium, compressed",
    "lighthouse": "Lighthouse 12.8, mobile",
    "growth": "Growth: staff pages at 10,000 / 50,000 / 200,000 contacts (PostgreSQL)",
    "send": "The final send's rule alone (no HTTP)",
    "cpu": "CPU time per request, in process, against bare Flask (no budget: what changes show)",
}
# Extra keys worth a column, by part.
DETAILS = {
    "server": ("rps", "bare_rps", "p50_ms", "p95_ms", "p99_ms", "p99_vs_bare", "errors"),
    "growth": ("p50_ms", "sql_statements"),
    "lighthouse": ("scores", "lcp_s"),
    "weight": (),
    "send": (),
    "cpu": ("x_bare", "before_us", "before_x_bare"),
}


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_number(v)}" for k, v in value.items())
    return str(value)


def verdict(item: dict[str, Any]) -> str:
    if item["budget"] is None:
        return "no budget"
    if item["value"] is None:
        return "**not measured**"
    return "met" if item["met"] else "**missed**"


def budget(item: dict[str, Any]) -> str:
    if item["budget"] is None:
        return "—"
    return f"{item.get('comparison', '<=')} {_number(item['budget'])}"


def table(items: Iterable[dict[str, Any]], details: tuple[str, ...]) -> list[str]:
    head = ["figure", "value", "unit", "budget", "verdict", *details, "load", "what"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for item in items:
        what = item.get("what", "")
        if item.get("note"):
            what = f"{what} ({item['note']})" if what else item["note"]
        row = [
            f"`{item['name']}`",
            _number(item["value"]),
            item["unit"],
            budget(item),
            verdict(item),
            *(_number(item.get(key)) for key in details),
            _number(item.get("load")),
            what.replace("|", "\\|"),
        ]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def render(items: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    dates = sorted(item["measured_at"] for item in items)
    budgeted = [item for item in items if item["budget"] is not None]
    missed = [item for item in budgeted if not item["met"]]
    missing = results.missing_names(items)
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/report.py` from `bench/results.json`; `make bench` measures everything "
        "and rewrites both (`make bench-server`, `bench-weight`, `bench-lighthouse`, "
        "`bench-growth`, `bench-send` one part each). Budgets are issue 15's.",
        "",
        f"- **Measured**: {dates[0][:16].replace('T', ' ')} to {dates[-1][:16].replace('T', ' ')}"
        " UTC"
        if dates
        else "- **Measured**: nothing yet",
        f"- **Machine**: {machine['nproc']} cores ({machine['cpu']}), {machine['ram_gb']} GB RAM; "
        f"load average when this page was written {', '.join(map(str, machine['load']))}. "
        "The machine is shared with other agents' test runs, so absolute figures are noisy: "
        "each figure's `load` column is the one-minute load average when it was taken, and "
        "the server figures are ratios to bare Flask measured just before, in the same run.",
        f"- **Budgets**: {len(budgeted) - len(missed)} of {len(budgeted)} met; "
        f"{len(missed)} missed or not measured.",
    ]
    if missing:
        lines.append(f"- **Not yet in results.json**: {', '.join(missing)}")
    lines.append("")
    by_part: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_part.setdefault(item.get("part", "other"), []).append(item)
    for part in [*PARTS, *sorted(set(by_part) - set(PARTS))]:
        if part not in by_part:
            continue
        lines += [f"## {PARTS.get(part, part)}", ""]
        lines += table(by_part[part], DETAILS.get(part, ()))
        lines.append("")
    lines += [
        "## How each figure is taken",
        "",
        "- **Server** (`bench/server.py`): `bench/production.py` starts gunicorn with "
        "`gunicorn.conf.py` (2 sync workers) and production settings (a fresh PostgreSQL "
        "database, Redis with its own key prefix, `PROXY_COUNT=1`, `MAIL_TRANSPORT=log`, the "
        "send and lookup limits raised), and `bench/bare.py` served the same way. wrk "
        "(`-t2 -c32`, `bench/wrk_report.lua`) sends what a phone behind the TLS proxy sends "
        "(`X-Forwarded-Proto: https`, `X-Forwarded-For`, `Accept-Encoding: gzip, deflate, br`, "
        "the cookie of the age band, of the phone that sent the message, or of a signed-in head "
        "of service). Each page runs right after bare Flask; `x bare` is its requests a second "
        "over bare Flask's. Journeys and sends come from `bench/loadgen.py` in its own process "
        "(Python, a new address per phone): a journey is 30 requests (start, each of 13 steps' "
        "page and answer, check, send, confirmation); the sends alone are messages made ready "
        "first (untimed), then all sent at once.",
        "- **Page weight** (`bench/page_weight.py`): Chromium through Playwright against the "
        "same production server, empty cache, every child page in every age band with and "
        "without symbols; headers plus compressed bodies, by kind.",
        "- **Lighthouse** (`bench/lighthouse.py`): `lighthouse@12.8.2` from "
        "`bench/package.json`, Debian's Chromium with `--no-sandbox`, mobile (the default); "
        "the figure is the lowest of Performance, Accessibility, Best Practices and SEO.",
        "- **Growth** (`bench/growth.py`): two years of contacts and events made with COPY "
        "(weekdays mostly, bank holidays quieter, most closed, about 2% urgent), then each page "
        "fetched through the Flask test client signed in as a head of service (p95 of up to 20 "
        "after one warm-up that also counts the SQL statements).",
        "- **CPU** (`bench/cpu.py`): the processor time of one request, counted by the process "
        "itself through the Flask test client with production settings on a fresh PostgreSQL "
        "database, beside bare Flask's the same way: it moves far less with the machine's load "
        "than wrk's requests a second, so it shows what a change to the app did.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    items = results.read()
    PAGE.write_text(render(items, results.machine()))
    print(f"{PAGE} written from {len(items)} figures ({dt.date.today()})")


if __name__ == "__main__":
    main()
