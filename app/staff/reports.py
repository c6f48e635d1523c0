"""The report's pages: on screen, printable, as CSV, and the young people's version.

The figures come from app/reports.py; this module says them in words and decides how exact
they may be. Head of Service sees exact counts on screen. For `vic`, on the "safe to share"
view, in the CSV and in the young people's version, counts under 5 read "fewer than 5" and
parts that would give a hidden one away are hidden too (`rules.shareable`). No names, words
or contact details are ever part of the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Response, render_template, request
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from app import audit, closing_loop, labels
from app import reports as rules
from app.council import current as council
from app.extensions import db
from app.roles import Can, can
from app.staff.audit_trail import csv_cell
from app.staff.auth import requires, signed_in
from app.staff.blueprint import bp
from app.timekeeping import now

STAFF_PRAISE_ROLES: dict[str | None, Any] = {
    "social_worker": _l("Social worker"),
    "carer": _l("Carer"),
    "iro": _l("Independent reviewing officer"),
    "teacher": _l("Teacher"),
    "someone_else": _l("Someone else"),
    None: _l("Not recorded"),
}
AGE_BANDS: dict[str | None, Any] = {**dict(labels.AGE_BANDS.items()), None: _l("Not given")}
# The kinds in the young people's version: their words, not staff shorthand.
YOUNG_KINDS: dict[str, Any] = {
    "kept_well": _l("A promise was kept well"),
    "not_kept": _l("A promise was not kept"),
    "praise": _l("Praise for someone who helped"),
}


@dataclass
class Table:
    """One table of the report: its rows in words, each count exact or None ("fewer than 5")."""

    key: str
    title: Any
    rows: list[tuple[Any, int | None]]
    total: int | None = None
    has_total: bool = False  # the parts add up to a total (shown, or hidden as "fewer than 5")
    chart: bool = True
    columns: tuple[Any, ...] = field(default_factory=lambda: (_l("Contacts"),))
    # Each part as shown, by its code (for a table whose total is a part of this one).
    by_code: dict[Any, int | None] = field(default_factory=dict)


def _period() -> tuple[rules.Period, list[str]]:
    """The period the address asks for (`from`, `to`: YYYY-MM-DD), or the last six months;
    and what was wrong with the dates, in words, if anything."""
    today = council().response.clock.local(now()).date()
    period = rules.Period.default(today)
    problems: list[str] = []
    first, last = period.first, period.last
    for name in ("from", "to"):
        typed = request.args.get(name, "").strip()
        if not typed:
            continue
        try:
            day = dt.date.fromisoformat(typed)
        except ValueError:
            problems.append(str(_l("Write the dates as year-month-day, like 2026-05-31.")))
            continue
        if not rules.EARLIEST <= day <= rules.LATEST:
            problems.append(
                str(
                    _l(
                        "Choose dates from %(earliest)s to %(latest)s.",
                        earliest=rules.EARLIEST.isoformat(),
                        latest=rules.LATEST.isoformat(),
                    )
                )
            )
            continue
        if name == "from":
            first = day
        else:
            last = day
    if first > last:
        problems.append(str(_l("The first day must come before the last.")))
        return period, problems
    return rules.Period(first, last), problems


def _parts(
    key: str,
    title: Any,
    counts: Mapping[Any, int],
    words: Mapping[Any, Any],
    exact: bool,
    total: int | None,
    within: int | None = None,
    total_shown_as: int | None = 0,
) -> Table:
    # A table of parts lists every choice, with its zeros; a list (promises, themes) only those
    # counted, most first.
    if total is None:
        ordered = dict(sorted(counts.items(), key=lambda pair: -pair[1]))
    else:
        ordered = {
            code: counts.get(code, 0) for code in words if code in counts or code is not None
        }
    ordered.update({code: n for code, n in counts.items() if code not in ordered})
    # `within`: a total shown elsewhere that these parts may add up to (see "By promise").
    shown: dict[Any, int | None] = (
        dict(ordered) if exact else rules.shareable(ordered, total if total is not None else within)
    )
    shown_total = total if exact or total is None else rules.one(total)
    if not exact and total_shown_as != 0:
        # The total is a part of another table (praise, of the kinds), hidden there to protect
        # another part: hidden here too, and the parts may not all show (they would add up
        # to it).
        shown_total = total_shown_as
        if shown_total == rules.HIDDEN and all(
            value is not None and value != rules.HIDDEN for value in shown.values()
        ):
            smallest = min(shown, key=lambda code: ordered[code])
            shown[smallest] = rules.HIDDEN
    rows = [(words.get(code, "–"), shown[code]) for code in ordered]
    return Table(key, title, rows, shown_total, has_total=total is not None, by_code=shown)


def tables(report: rules.Report, exact: bool) -> list[Table]:
    """Every table of the report, exact or safe to share."""
    promises = council().promises_by_key
    promise_words = {key: promise.title for key, promise in promises.items()}
    promise_words["other"] = _l("Something else")
    kinds = _parts("kind", _l("By kind"), report.by_kind, labels.KINDS, exact, report.total)
    found = [
        kinds,
        # A contact may be about several promises, so this table has no total; but when each
        # was about one, its counts add up to the contacts' total shown above, and a hidden one
        # could be worked out from it: they are suppressed against that total.
        _parts(
            "promise",
            _l("By promise"),
            report.by_promise,
            promise_words,
            exact,
            None,
            within=report.total,
        ),
        _parts("age_band", _l("By age band"), report.by_age_band, AGE_BANDS, exact, report.total),
        _parts(
            "channel", _l("By channel"), report.by_channel, labels.CHANNELS, exact, report.total
        ),
        _parts("helper", _l("Who helped"), report.by_helper, labels.HELPERS, exact, report.total),
        _parts(
            "praise",
            _l("Praise, by the role of the person praised"),
            report.praise_by_role,
            STAFF_PRAISE_ROLES,
            exact,
            report.by_kind.get("praise", 0),
            # Praise is one of the kinds: its total is shown as the kinds' table shows it.
            total_shown_as=kinds.by_code.get("praise", 0),
        ),
        _parts(
            "themes",
            _l("Themes recorded at closing"),
            report.themes,
            # A theme dropped from council.toml since is still counted, in its own words.
            {theme: theme for theme in (*council().staff.themes, *report.themes)},
            exact,
            None,
        ),
    ]
    for question in rules.QUESTIONS:
        found.append(
            _parts(
                f"feedback_{question}",
                labels.EVENT_DETAILS[question],
                report.feedback[question],
                labels.FEEDBACK,
                exact,
                report.feedback_answered,
            )
        )
    return found


def summary(report: rules.Report, exact: bool) -> list[tuple[str, Any, Any]]:
    """The key figures: (key, words, value in words)."""

    def count(n: int) -> int | None:
        return n if exact else rules.one(n)

    def of_all(n: int) -> int | None:
        """A count of some of the contacts, shown beside their total: the rest (the total
        less it) is a count too, so each is 5 or more, or it is not shown."""
        return n if exact else rules.shareable({0: n, 1: report.total - n}, report.total)[0]

    def said(n: int | None) -> Any:
        return in_words(n)

    def part_of(part: int, whole: int) -> int | None:
        return part if exact else rules.shareable({0: part, 1: whole - part}, whole)[0]

    def hours(p: int) -> Any:
        value = report.hours_to_first_contact.get(p)
        if value is None:
            return "–"
        if not exact and report.reached < rules.THRESHOLD:
            return _l("fewer than 5 reached")
        return _l("%(hours)s working hours", hours=value)

    # "of 15" beside "Contacts: 16" said 1 contact was still waiting with time left.
    whole_in_time = of_all(report.deadline_passed_or_met)
    met_rate = rules.rate(report.met, report.deadline_passed_or_met, exact)
    # The late are some of the open, shown just above them: the open but not late are a count.
    late_shown = of_all(report.late)
    open_shown = of_all(report.still_open)
    if (
        not exact
        and open_shown not in (None, rules.HIDDEN)
        and late_shown not in (None, rules.HIDDEN)
    ):
        open_rest = report.still_open - report.late
        late_shown = rules.shareable({0: report.late, 1: open_rest}, report.still_open)[0]
    if whole_in_time is None or whole_in_time == rules.HIDDEN:
        met_rate = None  # the rate beside the part would give the whole away
    yes, reviews = report.awareness_total
    aware = rules.rate(yes, reviews, exact)
    return [
        ("total", _l("Contacts"), said(count(report.total))),
        (
            "in_time",
            _l("Spoken to before their deadline"),
            _l(
                "%(count)s of %(whole)s (%(rate)s)",
                count=said(part_of(report.met, report.deadline_passed_or_met)),
                whole=said(whole_in_time),
                rate=("–" if met_rate is None else f"{met_rate}%"),
            ),
        ),
        ("median", _l("Median time to first contact"), hours(50)),
        ("p90", _l("90th percentile time to first contact"), hours(90)),
        ("urgent", _l("Urgent"), said(of_all(report.urgent))),
        ("open", _l("Still open"), said(of_all(report.still_open))),
        ("late", _l("Open and late now"), said(late_shown)),
        ("feedback", _l("“How did we do?” answered"), said(count(report.feedback_answered))),
        ("praise_passed_on", _l("Praise passed on"), said(count(report.praise_passed_on))),
        (
            "awareness",
            _l("Promise shared by their social worker (reviews)"),
            _l(
                "%(count)s of %(whole)s (%(rate)s)",
                count=said(part_of(yes, reviews)),
                whole=said(count(reviews)),
                rate=("–" if aware is None else f"{aware}%"),
            ),
        ),
    ]


def in_words(n: int | None) -> Any:
    """A count as the report says it: the number, "fewer than 5", or "not shown"."""
    if n is None:
        return _l("fewer than 5")
    if n == rules.HIDDEN:
        return _l("not shown")
    return n


def awareness_rows(report: rules.Report, exact: bool) -> list[tuple[Any, Any, Any, Any]]:
    """Promise awareness by month: month, yes, reviews, rate."""
    months: list[tuple[dt.date, int | None, int | None]]
    if exact:
        months = [(month, yes, reviews) for month, yes, reviews in report.awareness]
    else:
        all_yes, all_reviews = report.awareness_total
        shown = rules.shareable({0: all_yes, 1: all_reviews - all_yes}, all_reviews)[0]
        months = rules.shareable_months(
            report.awareness,
            yes_shown=shown is not None and shown != rules.HIDDEN,
            reviews_shown=rules.one(all_reviews) is not None,
        )
    rows = []
    for (month, yes, reviews), (_, said_yes, held) in zip(months, report.awareness, strict=True):
        # A rate beside the month's reviews gives its yes away: only where the yes is shown.
        visible = yes is not None and yes != rules.HIDDEN
        rows.append(
            (
                format_date(month, "MMMM yyyy"),
                yes,
                reviews,
                rules.rate(said_yes, held, exact) if visible else None,
            )
        )
    return rows


def _build(period: rules.Period) -> rules.Report:
    clock = council().response.clock
    return rules.build(db.session(), period, clock, now())


@bp.get("/reports")
@requires(Can.REPORTS)
def reports() -> tuple[str, int]:
    staff = signed_in()
    assert staff is not None
    period, problems = _period()
    shared = request.args.get("shared") == "1"
    exact = can(staff.role, Can.EXACT_COUNTS) and not shared
    report = _build(period)
    promises = council().promises_by_key
    return render_template(
        "staff/reports/show.html",
        period=period,
        problems=problems,
        exact=exact,
        may_see_exact=can(staff.role, Can.EXACT_COUNTS),
        summary=summary(report, exact),
        tables=tables(report, exact),
        awareness=awareness_rows(report, exact),
        awareness_reported=council().report.awareness_reported,
        in_words=in_words,
        recurring=[
            (promises[key].title if key in promises else _l("Something else"), theme)
            for key, theme in report.recurring
        ],
        args={"from": period.first.isoformat(), "to": period.last.isoformat()},
    ), (400 if problems else 200)


def csv_lines(report: rules.Report) -> Iterator[str]:
    """The report as CSV, always safe to share: counts only, no names, words or contact
    details, and no cell a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)

    def line(*cells: object) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow([csv_cell(str(c)) for c in cells])
        return out.getvalue()

    yield line("section", "item", "count")
    for _key, words, value in summary(report, exact=False):
        yield line("summary", words, value)
    for table in tables(report, exact=False):
        for item, count in table.rows:
            yield line(table.key, item, in_words(count))
        if table.has_total:
            yield line(table.key, "total", in_words(table.total))
    for month, yes, reviews, value in awareness_rows(report, exact=False):
        yield line("awareness yes", month, in_words(yes))
        yield line("awareness reviews", month, in_words(reviews))
        yield line("awareness rate", month, "–" if value is None else f"{value}%")
    reported = council().report.awareness_reported
    if reported is not None:
        yield line("awareness reported before", reported.year, f"{reported.percent}%")


@bp.get("/reports.csv")
@requires(Can.REPORTS)
def reports_csv() -> Response:
    period, problems = _period()
    if problems:
        return Response(" ".join(problems) + "\n", status=400, mimetype="text/plain")
    staff = signed_in()
    audit.record(
        db.session(),
        "report_exported",
        now=now(),
        staff=staff,
        details={"from": period.first.isoformat(), "to": period.last.isoformat()},
    )
    db.session.commit()
    name = f"report-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    return Response(
        "".join(csv_lines(_build(period))),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/reports/young-people")
@requires(Can.REPORTS)
def reports_young_people() -> tuple[str, int]:
    """The guardians of the promise's version: the same period in words and pictures a young
    person reads easily, always safe to share, with what changed because of what they said."""
    period, problems = _period()
    report = _build(period)
    start, end = period.bounds(council().response.clock)

    answered = report.feedback_answered
    # Each rate as (part, whole): shown only when both sides are 5 or more.
    counts = {
        "met": (report.met, report.deadline_passed_or_met),
        **{q: (report.feedback[q]["yes"], answered) for q in ("listened", "heard", "happy")},
        "aware": report.awareness_total,
    }
    rates = {key: rules.rate(part, whole, exact=False) for key, (part, whole) in counts.items()}
    # "Too small to share" only where there was something to count.
    some_hidden = any(rates[key] is None and whole > 0 for key, (_, whole) in counts.items())
    return render_template(
        "staff/reports/young_people.html",
        period=period,
        problems=problems,
        total=rules.one(report.total),
        kinds=_parts(
            "young-kinds",
            _l("What your messages were about"),
            report.by_kind,
            YOUNG_KINDS,
            False,
            report.total,
        ),
        in_words=in_words,
        rates=rates,
        some_hidden=some_hidden,
        praise_passed_on=rules.one(report.praise_passed_on),
        awareness_reported=council().report.awareness_reported,
        changes=closing_loop.published_between(db.session(), start, end),
        promises=council().promises_by_key,
        args={"from": period.first.isoformat(), "to": period.last.isoformat()},
    ), (400 if problems else 200)
