"""The tracker: every contact the member of staff may see, urgent first, then late, then by
deadline, with the deadline in words and the working time left to it. It refreshes itself
with htmx; that refresh neither keeps the session alive nor fills the audit trail
(auth.automatic_refresh). Logging a contact that came by phone, email or in person is in
log.py.

It must stay quick at 200,000 contacts: one statement brings the page's 25 rows with their
count, the allocated person's name, their promises and whether the child answered "How did we
do?", reading the `ix_contact_tracker_order` index in order from a cursor (keyset pages: the
last page costs what the first does), never the encrypted columns.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    cast,
    func,
    literal,
    select,
    tuple_,
)
from sqlalchemy.orm import load_only
from werkzeug.wrappers import Response

from app import audit, contacts, crypto, labels, urls
from app.contacts import Stage, lateness, search
from app.contacts.lateness import Lateness
from app.council import current as council
from app.deadlines import Clock
from app.extensions import db
from app.models import Contact, ContactEvent, ContactPromise, StaffUser
from app.roles import Can, can
from app.staff.auth import automatic_refresh, requires, signed_in
from app.staff.blueprint import bp
from app.timekeeping import now

PAGE_SIZE = 25
COUNT_UP_TO = 1000
# The filters a member of staff ticks; they combine (each narrows the list).
FILTERS = ("urgent", "late", "due_today", "unallocated", "mine", "proposed", "quiet")
SEARCH_LONGEST = 100
# How long a search's sealed link works: a working day, so an old page in the history no
# longer finds anyone the day after.
SEARCH_KEPT_SECONDS = 12 * 3600
# What a list row reads: never the encrypted message, how to reach the child or their words.
LISTED = (
    Contact.id,
    Contact.reference,
    Contact.kind,
    Contact.channel,
    Contact.age_band,
    Contact.stage,
    Contact.urgent,
    Contact.received_at,
    Contact.due_at,
    Contact.first_contact_at,
    Contact.allocated_to_id,
    Contact.tracker_rank,
    Contact.close_proposed_at,
    Contact.last_update_at,
    Contact.reply_unread_since,
)
ORDER = (Contact.tracker_rank, Contact.due_at, Contact.id)
# A cursor's deadline, in microseconds since 1970, is before the year 9000 (Python's dates end
# at 9999): a larger one is no link of ours, and must be a 400, not an overflow.
LATEST_MICROS = 221_845_392_000 * 10**6


@dataclass(frozen=True)
class Row:
    contact: Contact
    lateness: Lateness
    hours: int | None  # working hours to the deadline while waiting (negative: late)
    feedback: bool  # the child has answered "How did we do?"
    person: str | None  # who it is allocated to
    promises: list[str] = field(default_factory=list)
    quiet: bool = False  # allocated, and no update for the council's N working days


@dataclass(frozen=True)
class Cursor:
    """Where a page starts or ends in the tracker's order: "rank.microseconds.id"."""

    rank: int
    due_at: dt.datetime
    id: int

    @classmethod
    def of(cls, contact: Contact) -> Cursor:
        return cls(contact.tracker_rank, contact.due_at, contact.id)

    def __str__(self) -> str:
        micros = (self.due_at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(
            microseconds=1
        )
        return f"{self.rank}.{micros}.{self.id}"

    @classmethod
    def parse(cls, name: str) -> Cursor | None:
        """The cursor a link of ours carried; anything else is a 400, never a 500."""
        value = request.args.get(name, "")
        if not value:
            return None
        parts = value.split(".")
        if len(parts) != 3 or not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in parts):
            abort(400)
        rank, micros, row_id = (int(p) for p in parts)
        if rank > 9 or row_id > urls.LARGEST_ID or micros > LATEST_MICROS:
            abort(400)
        due = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=micros)
        return cls(rank, due, row_id)

    def key(self) -> ColumnElement[tuple[int, dt.datetime, int]]:
        return tuple_(
            literal(self.rank), literal(self.due_at, Contact.due_at.type), literal(self.id)
        )


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    first: Cursor | None  # of the page's first row (for "previous")
    last: Cursor | None  # of its last row (for "next")
    has_previous: bool
    has_next: bool


def _checked_words(typed: str) -> str:
    if len(typed) > SEARCH_LONGEST or any(unicodedata.category(ch) in {"Cc", "Cs"} for ch in typed):
        abort(400)
    return typed.strip()


def _search_words() -> tuple[str, str]:
    """What was searched for, and how links carry it: sealed (`found`), so that a child's name
    or number is never in an address, where the browser's history and the proxy's log would
    keep it. The form posts the words (`find`); a `q` in an address still works, for a
    bookmark or a link written by hand, and the page's own links then carry it sealed."""
    sealed = request.args.get("found", "")
    if sealed:
        words = crypto.unseal(sealed, SEARCH_KEPT_SECONDS)
        if words is None:
            abort(400)
        return _checked_words(words), sealed
    words = _checked_words(request.args.get("q", ""))
    return words, crypto.seal(words) if words else ""


def _conditions(
    filters: dict[str, str], window: lateness.Window, staff: StaffUser
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if not can(staff.role, Can.SEE_ALL_CONTACTS) or filters.get("mine"):
        where.append(Contact.allocated_to_id == staff.id)
    if filters.get("urgent"):
        where.append(Contact.urgent.is_(True))
    if filters.get("late"):
        where.append(lateness.is_late(window))
    if filters.get("due_today"):
        where.append(lateness.is_due_today(window))
    if filters.get("unallocated"):
        where.append(lateness.is_open())
        where.append(Contact.allocated_to_id.is_(None))
    if filters.get("proposed"):
        where.append(lateness.is_open())
        where.append(Contact.close_proposed_at.is_not(None))
    if filters.get("quiet"):
        where.append(lateness.quiet(window))
    if filters.get("kind") in contacts.KINDS:
        where.append(Contact.kind == filters["kind"])
    if filters.get("stage") in {str(stage.value) for stage in Stage}:
        where.append(Contact.stage == int(filters["stage"]))
    if filters.get("team"):  # urls.choice let through only the council's own teams
        where.append(Contact.about_team == filters["team"])
    if filters.get("q"):
        where.append(search.matches(filters["q"]))
    return where


def _rows_query(
    where: list[ColumnElement[bool]],
) -> Select[Contact, str | None, bool, str | None, int]:
    # Counted up to COUNT_UP_TO: past that "more than", so the count never reads every row.
    counted = select(literal(1)).select_from(Contact).where(*where).limit(COUNT_UP_TO + 1)
    total = select(func.count()).select_from(counted.subquery()).scalar_subquery()
    # Looked up for each of the page's rows (LIMIT 1 keeps it so), not every answer hashed.
    feedback = (
        select(literal(True))
        .where(ContactEvent.contact_id == Contact.id, ContactEvent.kind == "feedback_given")
        .limit(1)
        .scalar_subquery()
    )
    # "position:key" pairs, sorted in Python: no database promises an aggregate's order.
    promises = (
        select(
            func.aggregate_strings(
                cast(ContactPromise.position, String) + ":" + ContactPromise.promise_key, ","
            )
        )
        .where(ContactPromise.contact_id == Contact.id)
        .scalar_subquery()
    )
    return (
        select(
            Contact,
            StaffUser.name,
            # A finished contact's answer only: an open one cannot have been asked.
            (Contact.stage == Stage.FINISHED.value) & feedback.is_not(None),
            promises,
            total,
        )
        .outerjoin(StaffUser, StaffUser.id == Contact.allocated_to_id)
        .options(load_only(*LISTED, raiseload=True))
        # A contact this session already holds is filled from the row, not loaded again.
        .execution_options(populate_existing=True)
        .where(*where)
    )


def _page(
    where: list[ColumnElement[bool]],
    window: lateness.Window,
    clock: Clock,
    after: Cursor | None,
    before: Cursor | None,
    last: bool,
) -> Page:
    query = _rows_query(where)
    backwards = before is not None or last
    if after is not None:
        query = query.where(tuple_(*ORDER) > after.key())
    elif before is not None:
        query = query.where(tuple_(*ORDER) < before.key())
    order = [column.desc() for column in ORDER] if backwards else list(ORDER)
    found = list(db.session.execute(query.order_by(*order).limit(PAGE_SIZE + 1)).all())
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    if backwards:
        found.reverse()
    if found:
        total = int(found[0][4])
    elif after is None and before is None:
        total = 0  # nothing matches at all
    else:  # past the end (a cursor from a list that has since changed): count alone
        counted = select(literal(1)).select_from(Contact).where(*where).limit(COUNT_UP_TO + 1)
        total = db.session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    rows = [
        _row(contact, person, bool(answered), pairs, window, clock)
        for contact, person, answered, pairs, _ in found
    ]
    return Page(
        rows=rows,
        total=total,
        first=Cursor.of(found[0][0]) if found else None,
        last=Cursor.of(found[-1][0]) if found else None,
        has_previous=more if backwards else after is not None,
        has_next=(not last) and (more if not backwards else True),
    )


def _row(
    contact: Contact,
    person: str | None,
    answered: bool,
    pairs: str | None,
    window: lateness.Window,
    clock: Clock,
) -> Row:
    state = lateness.of(contact, window)
    keys = sorted(
        (pair.split(":", 1) for pair in (pairs or "").split(",") if pair),
        key=lambda pair: int(pair[0]),
    )
    return Row(
        contact=contact,
        lateness=state,
        hours=_hours_left(clock, window.now, contact.due_at)
        if state in lateness.OPEN_AND_WAITING
        else None,
        feedback=answered,
        person=person,
        promises=[key for _, key in keys],
        quiet=window.quiet_since is not None and lateness.is_quiet(contact, window),
    )


def _hours_left(clock: Clock, moment: dt.datetime, due: dt.datetime) -> int:
    left = clock.working_time_between(moment, due)
    seconds = left.total_seconds()
    return math.floor(seconds / 3600) if seconds >= 0 else -math.ceil(-seconds / 3600)


@bp.get("/tracker")
@requires(Can.SEE_CONTACTS)
def tracker() -> str:
    staff = signed_in()
    assert staff is not None
    moment = now()
    response = council().response
    quiet_days = response.no_update_working_days
    window = lateness.Window.at(moment, response.clock, quiet_days)
    filters = {key: urls.choice(key, {"1"}) for key in FILTERS} | {
        "kind": urls.choice("kind", contacts.KINDS),
        "stage": urls.choice("stage", {str(stage.value) for stage in Stage}),
        "team": urls.choice("team", set(council().staff.teams_by_key)),
    }
    filters["q"], sealed = _search_words()
    after, before = Cursor.parse("after"), Cursor.parse("before")
    last = urls.choice("last", {"1"}) == "1"
    page = _page(_conditions(filters, window, staff), window, response.clock, after, before, last)
    template = (
        "staff/tracker/_table.html"
        if request.headers.get("HX-Request")
        else "staff/tracker/index.html"
    )
    chosen = {key: value for key, value in filters.items() if value}
    # The page's own links: the filters as they are, the words sealed.
    linked = {key: value for key, value in chosen.items() if key != "q"}
    if sealed:
        linked["found"] = sealed
    cursor = {"after": str(after)} if after else {"before": str(before)} if before else {}
    html = render_template(
        template,
        page=page,
        rows=page.rows,
        filters=filters,
        chosen=chosen,
        linked=linked,
        quiet_days=quiet_days,
        total=page.total,
        count_up_to=COUNT_UP_TO,
        labels=labels,
        Lateness=Lateness,
        promise_titles={p.key: p.title for p in council().promises},
        teams=council().staff.teams,
        team_names={team.key: team.name for team in council().staff.teams},
    )
    # Written after the page is made: the commit expires what the page reads.
    if not automatic_refresh():  # a view a person asked for, not the refresh every 30 seconds
        audit.record(
            db.session(),
            "viewed_tracker",
            now=moment,
            staff=staff,
            # What was searched for may be a child's name or number: only that there was one.
            details={
                "filters": {k: ("…" if k == "q" else v) for k, v in chosen.items()},
                "page": next(iter(cursor.values()), "last" if last else "first"),
            },
        )
        db.session.commit()
    return html


@bp.post("/tracker")
@requires(Can.SEE_CONTACTS)
def find() -> Response:
    """The filter form, posted so that the words typed never enter an address: on to the
    tracker with the filters chosen and the words sealed (see `_search_words`)."""
    chosen: dict[str, Any] = {key: "1" for key in FILTERS if request.form.get(key) == "1"}
    for key in ("kind", "stage", "team"):
        if request.form.get(key):
            chosen[key] = request.form[key]  # checked by the tracker, as a link's would be
    words = _checked_words(request.form.get("q", ""))
    if words:
        chosen["found"] = crypto.seal(words)
    return redirect(url_for("staff.tracker", **chosen), code=303)
