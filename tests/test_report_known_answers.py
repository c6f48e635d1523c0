"""The report against known answers: a seeded set of contacts (tests/report_scenario.py) with
every figure worked out by hand, asserted through the rules, the Head of Service's exact page,
the safe-to-share page for `vic`, the CSV and the young people's version."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

import pytest
import textstat
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app import reports
from app.extensions import db
from app.models import AuditEvent
from app.staff.reports import summary
from tests import report_scenario as known
from tests.helpers import COUNCIL, make_contact, record, soup
from tests.journey import soup_of
from tests.staff_helpers import signed_in_client
from tests.test_plain_words import GRADE_OLDER, as_sentences, blocks_of

DATES = {"from": "2025-12-01", "to": "2026-02-28"}


@pytest.fixture
def seeded(app: Flask) -> known.Seeded:
    app.config["FIXED_NOW"] = known.NOW
    return known.seed()


def test_every_figure_from_the_rules(app: Flask, seeded: known.Seeded) -> None:
    report = reports.build(db.session(), known.PERIOD, COUNCIL.response.clock, known.NOW)
    # The whole report, so that a figure added later without its known answer fails here.
    assert dataclasses.asdict(report) == {
        "period": {"first": known.PERIOD.first, "last": known.PERIOD.last},
        "total": known.TOTAL,
        "by_kind": known.BY_KIND,
        "by_channel": known.BY_CHANNEL,
        "by_age_band": known.BY_AGE_BAND,
        "by_helper": known.BY_HELPER,
        "by_promise": known.BY_PROMISE,
        "praise_by_role": known.PRAISE_BY_ROLE,
        "lateness": known.LATENESS,
        "still_open": known.STILL_OPEN,
        "urgent": known.URGENT,
        "hours_to_first_contact": {50: known.MEDIAN_HOURS, 90: known.P90_HOURS},
        "feedback": known.FEEDBACK,
        "feedback_answered": known.FEEDBACK_ANSWERED,
        "themes": known.THEMES,
        "recurring": known.RECURRING,
        "praise_passed_on": known.PRAISE_PASSED_ON,
        "awareness": known.AWARENESS,
    }
    assert (report.met, report.late, report.reached) == (11, known.LATE, 13)
    assert report.deadline_passed_or_met == known.DEADLINE_PASSED_OR_MET
    assert report.awareness_total == (16, 22)


class Counting:
    """The session as the report's rules use it, counting the statements and the rows that
    come back from the database."""

    def __init__(self, session: Session) -> None:
        self.session, self.statements, self.rows = session, 0, 0

    def execute(self, statement: Any) -> Any:
        rows = self.session.execute(statement).all()
        self.statements += 1
        self.rows += len(rows)
        return SimpleNamespace(all=lambda: rows)

    def scalar(self, statement: Any) -> Any:
        self.statements += 1
        self.rows += 1
        return self.session.scalar(statement)


def test_the_figures_are_counted_by_the_database(app: Flask, seeded: known.Seeded) -> None:
    """Aggregation in SQL: 30 more contacts in groups already counted add no statement and no
    row fetched, and every statement the database runs groups, counts or reads one row."""
    sent: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):  # the test's own
            sent.append(statement)

    def counted() -> tuple[int, int, reports.Report]:
        counting = Counting(db.session())
        sent.clear()
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            report = reports.build(
                counting,  # type: ignore[arg-type]
                known.PERIOD,
                COUNCIL.response.clock,
                known.NOW,
            )
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        # Nothing loaded behind the rules' back (no lazy loads of rows).
        assert len(sent) == counting.statements, sent
        for statement in sent:
            text = statement.lower()
            assert "group by" in text or "count(" in text or "limit" in text, statement
        return counting.statements, counting.rows, report

    statements, rows, before = counted()
    at = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    for _ in range(30):
        contact = make_contact("not_kept", received=at, age_band="10_plus")
        record(contact, "spoke_to_child", role="customer_relations", now=at.replace(hour=11))
    more_statements, more_rows, after = counted()
    assert after.total == before.total + 30
    assert (more_statements, more_rows) == (statements, rows)


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


def table(page: object, key: str) -> list[tuple[str, str]]:
    """A table's rows in order, its total last: (words, count as shown)."""
    found = page.select_one(f"#table-{key} table")  # type: ignore[attr-defined]
    return [
        (row.th.get_text(strip=True), row.td.get_text(strip=True))
        for row in found.select("tbody tr, tfoot tr")
    ]


def every_table(page: object) -> dict[str, list[tuple[str, str]]]:
    return {
        section["id"].removeprefix("table-"): table(page, section["id"].removeprefix("table-"))
        for section in page.select("section.report-table")  # type: ignore[attr-defined]
        if section.select_one("table")
        and section["id"] not in ("table-recurring", "table-awareness")
    }


def months(page: object) -> list[list[str]]:
    return [
        [c.get_text(strip=True) for c in r.select("th, td")]
        for r in page.select("#table-awareness tbody tr")  # type: ignore[attr-defined]
    ]


PROMISES = COUNCIL.promises_by_key
A_TITLE = str(PROMISES[known.A_PROMISE].title)
OTHER_TITLE = str(PROMISES[known.OTHER_PROMISE].title)
FEWER, NOT_SHOWN = "fewer than 5", "not shown"

# Every figure of the report as Head of Service sees it: the known answers, in words.
EXACT_FIGURES = {
    "total": "16",
    "in_time": "11 of 15 (73%)",
    "median": "1.0 working hours",
    "p90": "49.0 working hours",
    "urgent": "1",
    "open": "11",
    "late": "2",
    "feedback": "5",
    "praise_passed_on": "1",
    "awareness": "16 of 22 (73%)",
}
EXACT_TABLES = {
    "kind": [("Kept well", "3"), ("Not kept", "10"), ("Praise", "3"), ("Total", "16")],
    "promise": [(A_TITLE, "13"), (OTHER_TITLE, "3")],
    "age_band": [
        ("Under 5", "2"),
        ("5 to 9", "3"),
        ("10 and over", "10"),
        ("Not given", "1"),
        ("Total", "16"),
    ],
    "channel": [
        ("In the app", "15"),
        ("Phone", "0"),
        ("Email", "1"),
        ("In person", "0"),
        ("Total", "16"),
    ],
    "helper": [
        ("Nobody", "14"),
        ("A carer", "2"),
        ("Their social worker", "0"),
        ("Their IRO", "0"),
        ("An advocate", "0"),
        ("Someone else", "0"),
        ("Total", "16"),
    ],
    "praise": [
        ("Social worker", "1"),
        ("Carer", "2"),
        ("Independent reviewing officer", "0"),
        ("Teacher", "0"),
        ("Someone else", "0"),
        ("Total", "3"),
    ],
    "themes": [(known.THEME, "5"), (known.SECOND_THEME, "2")],
    "feedback_listened": [("Yes", "3"), ("Not sure", "0"), ("No", "2"), ("Total", "5")],
    "feedback_heard": [("Yes", "5"), ("Not sure", "0"), ("No", "0"), ("Total", "5")],
    "feedback_happy": [("Yes", "4"), ("Not sure", "1"), ("No", "0"), ("Total", "5")],
}
EXACT_MONTHS = [["January 2026", "4", "5", "80%"], ["February 2026", "12", "17", "71%"]]

# The same, safe to share: under 5 is "fewer than 5"; a part that would give one away (by
# subtraction from a total shown beside it) is "not shown".
SHARED_FIGURES = {
    **EXACT_FIGURES,
    # 4 not in time could be worked out from "11 of 15": the 11 is not shown, nor the rate;
    # and 1 still waiting with time left from "of 15" beside the 16 contacts: nor the 15.
    "in_time": f"{NOT_SHOWN} of {NOT_SHOWN} (–)",
    "urgent": FEWER,
    "late": FEWER,
    "praise_passed_on": FEWER,
}
SHARED_TABLES = {
    # Two hidden kinds add up to 6: 10 and the total may show.
    "kind": [("Kept well", FEWER), ("Not kept", "10"), ("Praise", FEWER), ("Total", "16")],
    # Each contact here is about one promise: 13 + 3 is the total of 16 shown above.
    "promise": [(A_TITLE, NOT_SHOWN), (OTHER_TITLE, FEWER)],
    # Hidden: 2 + 3 + 1 = 6, so 10 may show.
    "age_band": [
        ("Under 5", FEWER),
        ("5 to 9", FEWER),
        ("10 and over", "10"),
        ("Not given", FEWER),
        ("Total", "16"),
    ],
    # Hidden: 1 (and the zeros), so 15 would give it away.
    "channel": [
        ("In the app", NOT_SHOWN),
        ("Phone", FEWER),
        ("Email", FEWER),
        ("In person", FEWER),
        ("Total", "16"),
    ],
    "helper": [
        ("Nobody", NOT_SHOWN),
        ("A carer", FEWER),
        ("Their social worker", FEWER),
        ("Their IRO", FEWER),
        ("An advocate", FEWER),
        ("Someone else", FEWER),
        ("Total", "16"),
    ],
    # Nothing of 3 praise may show, not even the total.
    "praise": [
        ("Social worker", FEWER),
        ("Carer", FEWER),
        ("Independent reviewing officer", FEWER),
        ("Teacher", FEWER),
        ("Someone else", FEWER),
        ("Total", FEWER),
    ],
    "themes": [(known.THEME, "5"), (known.SECOND_THEME, FEWER)],
    "feedback_listened": [("Yes", FEWER), ("Not sure", FEWER), ("No", FEWER), ("Total", "5")],
    "feedback_heard": [("Yes", NOT_SHOWN), ("Not sure", FEWER), ("No", FEWER), ("Total", "5")],
    "feedback_happy": [("Yes", FEWER), ("Not sure", FEWER), ("No", FEWER), ("Total", "5")],
}
# January's yes (4) is under 5; alone it could be worked out from the 16 of 22 shown above
# (16 - 12), so February's yes and rate are not shown either.
SHARED_MONTHS = [["January 2026", FEWER, "5", "–"], ["February 2026", NOT_SHOWN, "17", "–"]]
RECURRING = [[A_TITLE, known.THEME]]
# The rate the council reported before the app, if its file gives one (the second council's
# does not).
REPORTED = COUNCIL.report.awareness_reported


def baseline(page: object) -> str | None:
    found = page.select_one("#table-awareness .report-baseline")  # type: ignore[attr-defined]
    return None if found is None else found.get_text(strip=True)


def recurring(page: object) -> list[list[str]]:
    return [
        [c.get_text(strip=True) for c in r.select("td")]
        for r in page.select("#table-recurring tbody tr")  # type: ignore[attr-defined]
    ]


def charts_match_tables(page: object) -> None:
    """Each table has its chart beside it, titled and described with the same numbers, and a
    bar for each count shown, as long as the count says."""
    for key, rows in every_table(page).items():
        section = page.select_one(f"#table-{key}")  # type: ignore[attr-defined]
        chart = section.select_one("svg.chart")
        assert chart is not None and chart["role"] == "img", key
        assert chart.title.get_text() == section.h2.get_text(), key
        parts = [row for row in rows if row[0] != "Total"]
        assert chart.desc.get_text() == "; ".join(f"{w}: {n}" for w, n in parts), key
        shown = [int(n) for _, n in parts if n.isdigit() and int(n) > 0]
        widths = [float(bar["width"]) for bar in chart.select("rect")]
        assert len(widths) == len(shown), key
        if shown:
            assert [round(w / max(widths), 3) for w in widths] == [
                round(n / max(shown), 3) for n in shown
            ], key


def test_head_of_service_sees_exact_counts(app: Flask, seeded: known.Seeded) -> None:
    client, _ = signed_in_client(app, "head_of_service")
    page = soup(client.get("/staff/reports", query_string=DATES))
    assert figures(page) == EXACT_FIGURES
    assert every_table(page) == EXACT_TABLES
    assert recurring(page) == RECURRING
    assert months(page) == EXACT_MONTHS
    assert baseline(page) == (
        None
        if REPORTED is None
        else f"Before the app, the council reported {REPORTED.percent}% for {REPORTED.year}."
    )
    charts_match_tables(page)


@pytest.mark.parametrize("who", ["vic", "head_of_service, shared"])
def test_vic_and_the_shared_view_say_fewer_than_5(
    app: Flask, seeded: known.Seeded, who: str
) -> None:
    if who == "vic":
        client, _ = signed_in_client(app, "vic")
        response = client.get("/staff/reports", query_string=DATES)
        assert soup(client.get("/staff/reports", query_string={**DATES, "shared": "0"})).select(
            ".report-summary"
        ) == soup(response).select(".report-summary")  # vic cannot ask for exact counts
    else:
        client, _ = signed_in_client(app, "head_of_service")
        response = client.get("/staff/reports", query_string={**DATES, "shared": "1"})
    page = soup(response)
    assert figures(page) == SHARED_FIGURES
    assert every_table(page) == SHARED_TABLES
    assert recurring(page) == RECURRING
    assert months(page) == SHARED_MONTHS
    charts_match_tables(page)
    # The chart draws no bar for a hidden count and says it in words.
    assert len(page.select("#table-kind svg.chart rect")) == 1
    text = response.get_data(as_text=True)
    for secret in known.SECRETS:
        assert secret not in text, secret


def test_the_csv_is_the_shared_view_even_for_head_of_service(
    app: Flask, seeded: known.Seeded
) -> None:
    client, head = signed_in_client(app, "head_of_service")
    response = client.get("/staff/reports.csv", query_string=DATES)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="report-2025-12-01-2026-02-28.csv"'
    )
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "item", "count"]
    page = soup(client.get("/staff/reports", query_string={**DATES, "shared": "1"}))
    words = {
        row["id"].removeprefix("figure-"): row.dt.get_text(strip=True)
        for row in page.select(".report-summary .summary-row")
    }
    expected = [["summary", words[key], value] for key, value in SHARED_FIGURES.items()]
    for key, table_rows in SHARED_TABLES.items():
        expected += [
            [key, "total" if item == "Total" else item, count] for item, count in table_rows
        ]
    for month, yes, reviews, rate in SHARED_MONTHS:
        expected += [
            ["awareness yes", month, yes],
            ["awareness reviews", month, reviews],
            ["awareness rate", month, rate],
        ]
    if REPORTED is not None:
        expected.append(["awareness reported before", str(REPORTED.year), f"{REPORTED.percent}%"])
    assert rows[1:] == expected
    for secret in (*known.SECRETS, "@"):
        assert secret not in text, secret
    # Who exported which period is in the audit trail.
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report_exported")
    ).one()
    assert (exported.staff_id, exported.details) == (
        head.id,
        {"from": "2025-12-01", "to": "2026-02-28"},
    )


def test_a_theme_that_looks_like_a_formula_is_a_cell_of_text(page_app: Flask) -> None:
    from app.staff.reports import csv_lines

    report = reports.Report(known.PERIOD, themes={"=HYPERLINK(1)": 7})
    report.feedback = {q: {} for q in reports.QUESTIONS}
    with page_app.test_request_context():
        text = "".join(line for line in csv_lines(report) if "HYPERLINK" in line)
    assert "'=HYPERLINK(1)" in text


def test_the_young_peoples_version(app: Flask, seeded: known.Seeded) -> None:
    client, _ = signed_in_client(app, "vic")
    response = client.get("/staff/reports/young-people", query_string=DATES)
    page = soup(response)
    figures = [li.get_text(" ", strip=True) for li in page.select(".big-figures li")]
    # In time: 11 of 15, so 4 not; of the 5 who answered, 3 felt listened to (2 not), all 5
    # heard (0 not), 4 happy (1 not): too few on one side to give a rate, so no line.
    before = "" if REPORTED is None else f" (In {REPORTED.year} it was {REPORTED.percent}%.)"
    assert figures == [
        "✉️ Messages you sent us: 16",
        "🤝 73% of you said your social worker talked to you about the promise" + before,
        "🌟 Thank-yous we passed on: fewer than 5",
    ]
    assert page.select_one(".young-hidden") is not None
    # For the council's own group of young people (the second council's has another name).
    intro = page.select_one(".young-people-report > p:not(.lead)").get_text(" ", strip=True)
    assert intro.startswith(f"This is for {COUNCIL.council.written_with} and the corporate")
    assert table(page, "young-kinds") == [
        ("A promise was kept well", FEWER),
        ("A promise was not kept", "10"),
        ("Praise for someone who helped", FEWER),
    ]
    chart = page.select_one("#table-young-kinds svg.chart")
    assert chart.title.get_text() == "What your messages were about"
    assert len(chart.select("rect")) == 1
    changes = page.select("#young-changes .you-said")
    assert [c.get_text(" ", strip=True) for c in changes] == [
        f"{A_TITLE} You told us: {known.CHANGED[0]} So we: {known.CHANGED[1]}"
    ]
    text = response.get_data(as_text=True)
    for secret in known.SECRETS:
        assert secret not in text, secret


def test_the_young_peoples_version_gives_the_rates_it_safely_can(
    app: Flask, seeded: known.Seeded
) -> None:
    """Ten more, like A (met), closed and answered: five all yes, five all no. Of 15 answers,
    8 felt listened to (7 not), 10 heard (5 not), 9 happy (6 not): 5 or more on each side, so
    each rate shows. In time: 21 of 25, 4 not: still too few to give that rate."""
    at = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    for n in range(10):
        contact = make_contact("not_kept", received=at, age_band="10_plus")
        record(contact, "spoke_to_child", role="customer_relations", now=at.replace(hour=11))
        record(contact, "closed", role="customer_relations", now=at.replace(day=6), text="Done.")
        answer = "yes" if n < 5 else "no"
        record(
            contact,
            "feedback_given",
            now=at.replace(day=8),
            details={"listened": answer, "heard": answer, "happy": answer},
        )
    client, _ = signed_in_client(app, "vic")
    page = soup(client.get("/staff/reports/young-people", query_string=DATES))
    figures = [li.get_text(" ", strip=True) for li in page.select(".big-figures li")]
    before = "" if REPORTED is None else f" (In {REPORTED.year} it was {REPORTED.percent}%.)"
    assert figures == [
        "✉️ Messages you sent us: 26",
        "👂 53% of you who told us how we did felt listened to",
        "💬 67% of you who told us how we did felt heard",
        "🙂 60% of you who told us how we did were happy with what happened",
        "🤝 73% of you said your social worker talked to you about the promise" + before,
        "🌟 Thank-yous we passed on: fewer than 5",
    ]


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


@pytest.mark.parametrize(
    "dates",
    [
        {"from": "0001-01-01", "to": "0001-01-02"},  # the period before it is before year 1
        {"to": "9999-12-31"},  # its midnight after is past year 9999
        {"from": "0001-01-01", "to": "9999-12-30"},
        {"from": "1000-01-01"},
    ],
)
@pytest.mark.parametrize(
    "path", ["/staff/reports", "/staff/reports.csv", "/staff/reports/young-people"]
)
def test_dates_past_any_report_are_refused_in_words_not_a_500(
    app: Flask, dates: dict[str, str], path: str
) -> None:
    client, _ = signed_in_client(app, "vic")
    response = client.get(path, query_string=dates)
    assert response.status_code == 400, (path, dates)
    if not path.endswith(".csv"):
        assert "Choose dates from 2000-01-01 to 2099-12-31." in response.get_data(as_text=True)
    assert (
        client.get(path, query_string={"from": "2000-01-01", "to": "2099-12-31"}).status_code == 200
    )


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


def test_the_young_peoples_version_of_a_period_with_nothing(app: Flask) -> None:
    client, _ = signed_in_client(app, "vic")
    page = soup(client.get("/staff/reports/young-people", query_string=DATES))
    figures = [li.get_text(" ", strip=True) for li in page.select(".big-figures li")]
    assert figures == [
        "✉️ Messages you sent us: fewer than 5",
        "🌟 Thank-yous we passed on: fewer than 5",
    ]
    # Nothing was hidden: there was nothing to count.
    assert page.select_one(".young-hidden") is None
    assert "Nothing was published in this time." in page.main.get_text()


def test_the_young_peoples_version_is_in_plain_words(app: Flask, seeded: known.Seeded) -> None:
    """Scored as the child pages are (tests/test_plain_words.py): the promise card's level."""
    client, _ = signed_in_client(app, "vic")
    html = client.get("/staff/reports/young-people", query_string=DATES).get_data(as_text=True)
    main = str(soup_of(html).main)
    grade = textstat.flesch_kincaid_grade(as_sentences(blocks_of(main)))
    assert grade <= GRADE_OLDER, grade


JAN, FEB, MAR = (dt.date(2026, m, 1) for m in (1, 2, 3))


@pytest.mark.parametrize(
    ("months", "totals_shown", "expected"),
    [
        # The scenario: January's 4 would be 16 - 12.
        ([(JAN, 4, 5), (FEB, 12, 17)], True, [(JAN, None, 5), (FEB, H, 17)]),
        # January's 3 reviews would be 43 - 20 - 20: February's go too, and with them its yes.
        (
            [(JAN, 3, 3), (FEB, 10, 20), (MAR, 12, 20)],
            True,
            [(JAN, None, None), (FEB, H, H), (MAR, 12, 20)],
        ),
        # Nothing small: all shows.
        ([(JAN, 10, 20), (FEB, 6, 12)], True, [(JAN, 10, 20), (FEB, 6, 12)]),
        # No total shown beside them: only the small ones go.
        ([(JAN, 4, 5), (FEB, 12, 17)], False, [(JAN, None, 5), (FEB, 12, 17)]),
    ],
)
def test_awareness_months_hide_what_the_totals_would_give_away(
    months: list[tuple[dt.date, int, int]],
    totals_shown: bool,
    expected: list[tuple[dt.date, int | None, int | None]],
) -> None:
    assert reports.shareable_months(months, totals_shown, totals_shown) == expected


@pytest.mark.parametrize(
    ("kinds", "roles", "expected_praise"),
    [
        # Kept well (2) is hidden, so praise (6) is hidden in the kinds' table: the praise
        # table may not show 6 as its total (68 - 20 - 6 = 2).
        (
            {"not_kept": 20, "kept_well": 2, "praise": 6},
            {"social_worker": 6},
            [NOT_SHOWN, FEWER, FEWER, FEWER, FEWER, NOT_SHOWN],
        ),
        # Every role 5 or more would add up to the hidden 25: one is hidden too.
        (
            {"not_kept": 40, "kept_well": 3, "praise": 25},
            dict.fromkeys(("social_worker", "carer", "iro", "teacher", "someone_else"), 5),
            [NOT_SHOWN, "5", "5", "5", "5", NOT_SHOWN],
        ),
    ],
)
def test_praise_by_role_keeps_the_kinds_hidden_one_hidden(
    page_app: Flask, kinds: dict[str, int], roles: dict[str, int], expected_praise: list[str]
) -> None:
    from app.staff.reports import in_words, tables

    report = reports.Report(
        known.PERIOD, total=sum(kinds.values()), by_kind=kinds, praise_by_role=roles
    )
    report.feedback = {q: {} for q in reports.QUESTIONS}
    with page_app.test_request_context():
        found = {table.key: table for table in tables(report, exact=False)}
        kind = dict((str(w), str(in_words(n))) for w, n in found["kind"].rows)
        praise = found["praise"]
        shown = [str(in_words(n)) for _, n in praise.rows] + [str(in_words(praise.total))]
    assert kind["Praise"] == NOT_SHOWN
    assert shown == expected_praise


@pytest.mark.parametrize(
    ("total", "still_open", "lateness", "urgent"),
    [
        (16, 11, {"met": 11, "met_late": 2, "late": 2, "on_time": 1}, 1),  # 16 - 15 = 1 waiting
        (20, 11, {"met": 9, "late": 7, "on_time": 4}, 18),  # 11 open - 7 late = 4; 2 not urgent
        (30, 27, {"met": 3, "late": 24, "due_soon": 3}, 10),  # 30 - 27 = 3 closed
        (40, 20, {"met": 20, "late": 12, "on_time": 8}, 10),  # nothing to hide
    ],
)
def test_no_two_shared_figures_give_a_count_under_5_away(
    app: Flask, total: int, still_open: int, lateness: dict[str, int], urgent: int
) -> None:
    """Each of these is some of the period's contacts (and the late some of the open): shown
    together, safe to share, no shown figure less another is 1 to 4."""
    report = reports.Report(
        known.PERIOD, total=total, still_open=still_open, lateness=lateness, urgent=urgent
    )
    with app.test_request_context():
        said = {key: str(value) for key, _, value in summary(report, exact=False)}
    whole_in_time = said["in_time"].split(" of ")[1].split(" (")[0]
    shown = {
        name: int(value)
        for name, value in {
            "total": said["total"],
            "in_time": whole_in_time,
            "open": said["open"],
            "late": said["late"],
            "urgent": said["urgent"],
        }.items()
        if value.isdigit()
    }
    subsets = [("total", "in_time"), ("total", "open"), ("total", "late"), ("total", "urgent")]
    subsets.append(("open", "late"))
    for whole, part in subsets:
        if whole in shown and part in shown:
            assert not 0 < shown[whole] - shown[part] < reports.THRESHOLD, (whole, part, shown)
    if total == 40:
        assert shown == {"total": 40, "in_time": 32, "open": 20, "late": 12, "urgent": 10}
