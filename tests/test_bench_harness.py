"""The benchmark harness's pure parts: percentiles, budgets, results.json and its page.

The benchmarks themselves run with `make bench`, never here; these checks take milliseconds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import report, results
from bench.loadgen import field_value


def test_percentiles_interpolate_between_closest_ranks() -> None:
    assert results.percentile([1, 2, 3, 4], 50) == 2.5
    assert results.percentile([1, 2, 3, 4], 0) == 1
    assert results.percentile([1, 2, 3, 4], 100) == 4
    assert results.percentile([5], 99) == 5
    assert results.percentile([3, 1, 2], 50) == 2  # order does not matter
    hundred = [float(n) for n in range(1, 101)]
    assert results.percentile(hundred, 95) == pytest.approx(95.05)
    assert results.percentile(hundred, 99) == pytest.approx(99.01)


def test_percentiles_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        results.percentile([], 50)
    with pytest.raises(ValueError):
        results.percentile([1.0], 101)


def test_summary_is_in_milliseconds() -> None:
    assert results.summary_ms([0.010, 0.020, 0.030]) == {"p50": 20.0, "p95": 29.0, "p99": 29.8}


def test_a_budget_is_met_on_its_good_side_only() -> None:
    assert results.figure("t", 140, "ms", 150)["met"] is True
    assert results.figure("t", 151, "ms", 150)["met"] is False
    assert results.figure("r", 0.5, "x", 0.5, comparison=">=")["met"] is True
    assert results.figure("r", 0.49, "x", 0.5, comparison=">=")["met"] is False
    assert results.figure("e", 0, "errors", 0, comparison="==")["met"] is True
    assert results.figure("n", 3, "ms", None)["met"] is False  # no budget: nothing to meet
    assert results.figure("v", None, "bytes", 0, note="why")["met"] is False


def test_ratio_to_the_yardstick() -> None:
    assert results.ratio(600, 3000) == 0.2
    with pytest.raises(ValueError):
        results.ratio(1, 0)


def test_a_part_replaces_its_own_figures_and_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    results.save([results.figure("a", 1, "ms", 2), results.figure("gone", 1, "ms", 2)], "x", path)
    results.save([results.figure("b", 1, "ms", 2)], "y", path)
    results.save([results.figure("a", 3, "ms", 2)], "x", path)
    saved = {item["name"]: item for item in json.loads(path.read_text())}
    assert set(saved) == {"a", "b"}  # "gone" went with part x's old run
    assert saved["a"]["value"] == 3 and saved["a"]["met"] is False


def test_a_figure_without_a_value_must_say_why(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needs a note"):
        results.save([results.figure("a", None, "bytes", 0)], "x", tmp_path / "r.json")


def test_the_kept_results_have_the_shape_and_names_issue_15_asks_for() -> None:
    kept = results.read()
    assert kept, "bench/results.json is missing: run make bench"
    assert [p for item in kept for p in results.shape_problems(item)] == []
    assert results.missing_names(kept) == []
    assert len({item["name"] for item in kept}) == len(kept)


def test_the_page_is_written_from_the_figures() -> None:
    items = [
        results.figure("first_load_kb", 30.0, "KB", 25, what="heaviest"),
        results.figure("promises_vs_bare", 0.6, "x", 0.5, comparison=">="),
        results.figure("repeat_visit_bytes", None, "bytes", 0, note="no service worker"),
    ]
    machine = {"nproc": 2, "cpu": "CPU", "ram_gb": 8.0, "load": [1.0, 1.0, 1.0]}
    page = report.render([{**item, "part": "weight"} for item in items], machine)
    assert "| `first_load_kb` | 30.0 | KB | <= 25 | **missed** |" in page
    assert "| `promises_vs_bare` | 0.6 | x | >= 0.5 | met |" in page
    assert "**not measured**" in page and "no service worker" in page
    assert "2 cores (CPU), 8.0 GB RAM" in page


def test_the_load_generator_finds_a_forms_fields() -> None:
    html = (
        '<form><input type="hidden" name="csrf_token" value="abc.def">'
        '<input name="submission_key" type="hidden" value="k1"></form>'
    )
    assert field_value(html, "csrf_token") == "abc.def"
    assert field_value(html, "submission_key") == "k1"
    with pytest.raises(LookupError):
        field_value(html, "words")
