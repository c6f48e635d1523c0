"""The figures every benchmark keeps: percentiles, ratios, and bench/results.json.

Each part of `make bench` measures some figures and merges them into results.json by name,
so running one part (`make bench-growth`) replaces its own figures and keeps the others.
A figure is {"name", "value", "unit", "budget", "met", "measured_at"} and may carry more keys
(a "note", the "load" average while it was measured, a "comparison" such as ">=").
docs/benchmarks.md is written from the file (bench/report.py), never by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results.json")
REQUIRED_KEYS = ("name", "value", "unit", "budget", "met", "measured_at")
# The names issue 15 asks for, each possibly followed by a page or size suffix.
REQUIRED_NAMES = (
    "first_load_kb",
    "repeat_visit_bytes",
    "lighthouse",
    "promises_vs_bare",
    "submissions_per_s",
    "submission_p99_ms",
    "tracker_p95_ms_200k",
    "report_s_200k",
)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation between closest ranks, as
    numpy's default does: p50 of [1, 2, 3, 4] is 2.5; p100 is the largest."""
    if not values:
        raise ValueError("no values")
    if not 0 <= p <= 100:
        raise ValueError(f"p must be within 0 and 100, not {p}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50, p95 and p99 in milliseconds of durations given in seconds."""
    return {f"p{p}": round(percentile(seconds, p) * 1000, 2) for p in (50, 95, 99)}


def ratio(value: float, yardstick: float) -> float:
    if yardstick <= 0:
        raise ValueError("the yardstick must be above 0")
    return round(value / yardstick, 3)


def load_average() -> float:
    """The one-minute load average: how busy the shared machine was."""
    return round(os.getloadavg()[0], 2)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def figure(
    name: str,
    value: float | int | None,
    unit: str,
    budget: float | int | None,
    *,
    comparison: str = "<=",
    **extra: Any,
) -> dict[str, Any]:
    """One measured figure, judged against its budget. `comparison` says which side of the
    budget is good (<= for times and bytes, >= for throughput and scores); no budget or no
    value is never "met"."""
    if comparison not in {"<=", ">=", "=="}:
        raise ValueError(f"unknown comparison {comparison!r}")
    if value is None or budget is None:
        met = False
    elif comparison == "<=":
        met = value <= budget
    elif comparison == ">=":
        met = value >= budget
    else:
        met = value == budget
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "budget": budget,
        "met": met,
        "measured_at": now_iso(),
        "comparison": comparison,
        "load": load_average(),
        **extra,
    }


def read(path: Path = RESULTS) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    loaded = json.loads(path.read_text())
    if not isinstance(loaded, list):
        raise ValueError(f"{path} must hold a list of figures")
    return loaded


def merge(
    old: Iterable[dict[str, Any]], new: Iterable[dict[str, Any]], replacing: str = ""
) -> list[dict[str, Any]]:
    """The old figures with the new ones in their place (by name). With `replacing`, a
    prefix such as "growth_", every old figure of that part goes, so a figure the part no
    longer measures does not linger from an older run."""
    fresh = {item["name"]: item for item in new}
    kept = [
        item
        for item in old
        if item["name"] not in fresh and not (replacing and item.get("part") == replacing)
    ]
    return sorted([*kept, *fresh.values()], key=lambda item: (item.get("part", ""), item["name"]))


def save(new: Iterable[dict[str, Any]], part: str, path: Path = RESULTS) -> list[dict[str, Any]]:
    """Merge one part's figures into results.json (each tagged with its part)."""
    tagged = [{**item, "part": part} for item in new]
    problems = [problem for item in tagged for problem in shape_problems(item)]
    if problems:
        raise ValueError("; ".join(problems))
    merged = merge(read(path), tagged, replacing=part)
    path.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n")
    return merged


def shape_problems(item: dict[str, Any]) -> list[str]:
    """What is wrong with one figure's shape, or nothing."""
    problems = [f"{item.get('name')!r} lacks {key!r}" for key in REQUIRED_KEYS if key not in item]
    if not isinstance(item.get("name"), str) or not item.get("name"):
        problems.append(f"a figure has no name: {item!r}")
    if not isinstance(item.get("met"), bool):
        problems.append(f"{item.get('name')!r}: met must be true or false")
    value = item.get("value")
    if value is not None and not isinstance(value, int | float):
        problems.append(f"{item.get('name')!r}: value must be a number or null")
    if value is None and item.get("met"):
        problems.append(f"{item.get('name')!r}: a figure with no value cannot be met")
    if value is None and not item.get("note"):
        problems.append(f"{item.get('name')!r}: a figure with no value needs a note saying why")
    return problems


def missing_names(items: Iterable[dict[str, Any]]) -> list[str]:
    """The names issue 15 requires that no figure carries (alone or with a suffix)."""
    names = [item["name"] for item in items]
    return [
        required
        for required in REQUIRED_NAMES
        if not any(name == required or name.startswith(f"{required}_") for name in names)
    ]


def machine() -> dict[str, Any]:
    """The machine the figures come from: cores, CPU model, memory, load."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "load": [round(x, 2) for x in os.getloadavg()],
    }
