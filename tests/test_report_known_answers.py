"""The report against known answers: a seeded set of contacts (tests/report_scenario.py) with
every figure worked out by hand, asserted through the rules, the Head of Service's exact page,
the safe-to-share page for `vic`, the CSV and the young people's version."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from flask import Flask

from app import reports
from app.extensions import db
from tests import report_scenario as known
from tests.helpers import COUNCIL, soup
from tests.staff_helpers import signed_in_client

DATES = {"from": "2025-12-01", "to": "2026-02-28"}


@pytest.fixture
def seeded(app: Flask) -> known.Seeded:
    app.config["FIXED_NOW"] = known.NOW
    return known.seed()


def test_every_figure_from_the_rules(app: Flask, seeded: known.Seeded) -> None:
    report = reports.build(db.session(), known.PERIOD, COUNCIL.response.clock, known.NOW)
    assert report.total == known.TOTAL
    assert report.by_kind == known.BY_KIND
    assert report.by_promise == known.BY_PROMISE
    assert report.by_age_band == known.BY_AGE_BAND
    assert report.by_channel == known.BY_CHANNEL
    assert report.by_helper == known.BY_HELPER
    assert report.praise_by_role == known.PRAISE_BY_ROLE
    assert report.lateness == known.LATENESS
    assert report.deadline_passed_or_met == known.DEADLINE_PASSED_OR_MET
    assert report.still_open == known.STILL_OPEN
    assert report.urgent == known.URGENT
    assert report.late == known.LATE
    assert report.hours_to_first_contact == {50: known.MEDIAN_HOURS, 90: known.P90_HOURS}
    assert report.feedback == known.FEEDBACK
    assert report.feedback_answered == known.FEEDBACK_ANSWERED
    assert report.themes == known.THEMES
    assert report.recurring == known.RECURRING
    assert report.praise_passed_on == known.PRAISE_PASSED_ON
    assert report.awareness == known.AWARENESS


def test_a_contact_becomes_late_only_once_its_deadline_has_passed(
    app: Flask, seeded: known.Seeded
) -> None:
    clock = COUNCIL.response.clock
    # The praise sent Friday 27 February is due Tuesday 3 March 10:00.
    before = reports.build(
        db.session(), known.PERIOD, clock, dt.datetime(2026, 3, 3, 9, 59, tzinfo=dt.UTC)
    )
    after = reports.build(
        db.session(), known.PERIOD, clock, dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC)
    )
    assert before.late == known.LATE
    assert after.late == known.LATE + 1


def figures(page: object) -> dict[str, str]:
    return {
        row["id"].removeprefix("figure-"): row.dd.get_text(" ", strip=True)
        for row in page.select(".report-summary .summary-row")  # type: ignore[attr-defined]
    }


def table(page: object, key: str) -> dict[str, str]:
    found = page.select_one(f"#table-{key} table")  # type: ignore[attr-defined]
    rows = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in found.select("tbody tr, tfoot tr")
    }
    return rows


def test_head_of_service_sees_exact_counts(app: Flask, seeded: known.Seeded) -> None:
    client, _ = signed_in_client(app, "head_of_service")
    page = soup(client.get("/staff/reports", query_string=DATES))
    shown = figures(page)
    assert shown["total"] == "15"
    assert shown["in_time"] == "10 of 14 (71%)"
    assert shown["median"] == "1.0 working hours"
    assert shown["p90"] == "49.0 working hours"
    assert shown["open"] == "10"
    assert shown["urgent"] == "1"
    assert shown["late"] == "2"
    assert shown["feedback"] == "5"
    assert shown["praise_passed_on"] == "1"
    assert shown["awareness"] == "16 of 22 (73%)"
    assert table(page, "kind") == {"Not kept": "9", "Kept well": "3", "Praise": "3", "Total": "15"}
    assert table(page, "age_band") == {
        "Under 5": "2",
        "5 to 9": "3",
        "10 and over": "10",
        "Total": "15",
    }
    assert table(page, "helper")["A carer"] == "2"
    assert table(page, "praise") == {
        "Social worker": "1",
        "Carer": "2",
        "Independent reviewing officer": "0",
        "Teacher": "0",
        "Someone else": "0",
        "Total": "3",
    }
    assert table(page, "themes") == {known.THEME: "5", known.SECOND_THEME: "2"}
    promises = COUNCIL.promises_by_key
    assert table(page, "promise") == {
        promises[known.A_PROMISE].title: "12",
        promises[known.OTHER_PROMISE].title: "3",
    }
    assert table(page, "feedback_listened") == {
        "Yes": "3",
        "Not sure": "0",
        "No": "2",
        "Total": "5",
    }
    recurring = page.select("#table-recurring tbody tr")
    assert [[c.get_text(strip=True) for c in r.select("td")] for r in recurring] == [
        [promises[known.A_PROMISE].title, known.THEME]
    ]
    months = [
        [c.get_text(strip=True) for c in r.select("th, td")]
        for r in page.select("#table-awareness tbody tr")
    ]
    assert months == [["January 2026", "4", "5", "80%"], ["February 2026", "12", "17", "71%"]]
    # Each table has its chart beside it, titled and described with the same numbers.
    chart = page.select_one("#table-kind svg.chart")
    assert chart is not None and chart["role"] == "img"
    assert chart.title.get_text() == "By kind"
    assert "Kept well: 3" in chart.desc.get_text()


def test_vic_and_the_shared_view_say_fewer_than_5(app: Flask, seeded: known.Seeded) -> None:
    vic, _ = signed_in_client(app, "vic")
    head, _ = signed_in_client(app, "head_of_service")
    pages = [
        soup(vic.get("/staff/reports", query_string=DATES)),
        soup(head.get("/staff/reports", query_string={**DATES, "shared": "1"})),
    ]
    for page in pages:
        shown = figures(page)
        assert shown["total"] == "15"
        # 4 not in time could be worked out from "10 of 14": the 10 is not shown.
        assert shown["in_time"] == "not shown of 14 (–)"
        assert shown["late"] == "fewer than 5"
        assert shown["urgent"] == "fewer than 5"
        assert shown["praise_passed_on"] == "fewer than 5"
        assert shown["awareness"] == "16 of 22 (73%)"
        # Two hidden kinds add up to 6: 9 and the total may show.
        assert table(page, "kind") == {
            "Not kept": "9",
            "Kept well": "fewer than 5",
            "Praise": "fewer than 5",
            "Total": "15",
        }
        # One hidden helper (2) could be worked out from 15 - 13: 13 is hidden too.
        helpers = table(page, "helper")
        assert (helpers["Nobody"], helpers["A carer"]) == ("not shown", "fewer than 5")
        assert helpers["Total"] == "15" and "13" not in helpers.values()
        # Nothing of 3 praise may show.
        assert set(table(page, "praise").values()) == {"fewer than 5"}
        assert table(page, "themes") == {known.THEME: "5", known.SECOND_THEME: "fewer than 5"}
        months = [
            [c.get_text(strip=True) for c in r.select("th, td")]
            for r in page.select("#table-awareness tbody tr")
        ]
        assert months == [
            ["January 2026", "fewer than 5", "5", "–"],
            ["February 2026", "12", "17", "71%"],
        ]
        # The chart draws no bar for a hidden count and says it in words.
        chart = page.select_one("#table-kind svg.chart")
        assert len(chart.select("rect")) == 1
        assert "Praise: fewer than 5" in chart.desc.get_text()
        assert "Nobody rings me back" not in str(page) and known.PRAISED not in str(page)


def test_the_csv_is_safe_to_share_even_for_head_of_service(
    app: Flask, seeded: known.Seeded
) -> None:
    client, _ = signed_in_client(app, "head_of_service")
    response = client.get("/staff/reports.csv", query_string=DATES)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "item", "count"]
    by = {(section, item): count for section, item, count in rows[1:]}
    assert by[("kind", "Not kept")] == "9"
    assert by[("kind", "Praise")] == "fewer than 5"
    assert by[("kind", "total")] == "15"
    assert by[("helper", "Nobody")] == "not shown"
    assert by[("summary", "Open and late now")] == "fewer than 5"
    for secret in ("Nobody rings me back", known.PRAISED, "@"):
        assert secret not in text


def test_a_theme_that_looks_like_a_formula_is_a_cell_of_text(page_app: Flask) -> None:
    from app.staff.reports import csv_lines

    report = reports.Report(known.PERIOD, themes={"=HYPERLINK(1)": 7})
    report.feedback = {q: {} for q in reports.QUESTIONS}
    with page_app.test_request_context():
        text = "".join(line for line in csv_lines(report) if "HYPERLINK" in line)
    assert "'=HYPERLINK(1)" in text


def test_the_young_peoples_version(app: Flask, seeded: known.Seeded) -> None:
    client, _ = signed_in_client(app, "vic")
    page = soup(client.get("/staff/reports/young-people", query_string=DATES))
    words = page.select_one(".big-figures").get_text(" ", strip=True)
    assert "15" in words and "73%" in words
    assert "fewer than 5" in words  # thank-yous passed on: 1
    # In time: 10 of 14, so 4 not; listened to: 3 of 5, so 2 not: too few to give a rate.
    assert "71%" not in words and "in the time we promised" not in words
    assert "felt listened to" not in words
    assert page.select_one("svg.chart title") is not None


def test_the_default_period_is_the_last_six_months(app: Flask) -> None:
    app.config["FIXED_NOW"] = known.NOW
    client, _ = signed_in_client(app, "head_of_service")
    page = soup(client.get("/staff/reports"))
    assert page.select_one("#from")["value"] == "2025-09-03"
    assert page.select_one("#to")["value"] == "2026-03-02"


def test_dates_staff_cannot_mean_are_refused_in_words(app: Flask) -> None:
    client, _ = signed_in_client(app, "vic")
    response = client.get("/staff/reports", query_string={"from": "2026-13-01"})
    assert response.status_code == 400
    assert "year-month-day" in response.get_data(as_text=True)
    response = client.get("/staff/reports", query_string={"from": "2026-02-01", "to": "2026-01-01"})
    assert response.status_code == 400


H = reports.HIDDEN


@pytest.mark.parametrize(
    ("parts", "total", "expected"),
    [
        ({"a": 9, "b": 3, "c": 3}, 15, {"a": 9, "b": None, "c": None}),
        ({"a": 13, "b": 2}, 15, {"a": H, "b": None}),
        ({"a": 20, "b": 6, "c": 1}, 27, {"a": 20, "b": H, "c": None}),
        ({"a": 20, "b": 2, "c": 1, "d": 9}, 32, {"a": 20, "b": None, "c": None, "d": H}),
        ({"a": 20, "b": 7}, 27, {"a": 20, "b": 7}),
        ({"a": 4, "b": 1}, None, {"a": None, "b": None}),
    ],
)
def test_secondary_suppression(
    parts: dict[str, int], total: int | None, expected: dict[str, int | None]
) -> None:
    assert reports.shareable(parts, total) == expected
