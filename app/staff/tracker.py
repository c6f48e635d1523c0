"""The tracker: every contact the member of staff may see, urgent first, then late, then by
deadline, with the working time left to each deadline. It refreshes itself with htmx; that
refresh neither keeps the session alive nor fills the audit trail (auth.automatic_refresh).
Logging a contact that came by phone, email or in person is in log.py."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask import render_template, request
from sqlalchemy import Select, case, func, select

from app import audit, contacts, labels, urls
from app.contacts import Stage, lateness
from app.contacts.lateness import Lateness
from app.council import current as council
from app.deadlines import Clock
from app.extensions import db
from app.models import Contact
from app.roles import Can, can
from app.staff.auth import automatic_refresh, requires, signed_in
from app.staff.blueprint import bp
from app.timekeeping import now

PAGE_SIZE = 25
FILTERS = ("urgent", "late", "mine")
# Open and waiting first, most pressing first; finished contacts last.
ORDER = {
    Lateness.LATE.value: 0,
    Lateness.DUE_SOON.value: 1,
    Lateness.ON_TIME.value: 2,
    Lateness.MET_LATE.value: 3,
    Lateness.MET.value: 3,
    Lateness.STOPPED.value: 3,
}


@dataclass(frozen=True)
class Row:
    contact: Contact
    lateness: Lateness
    hours: int  # working hours to the deadline (negative: late)
    feedback: bool  # the child has answered "How did we do?"


def _query(filters: dict[str, str], window: lateness.Window) -> Select[Contact, str]:
    staff = signed_in()
    assert staff is not None
    state = lateness.sql(window)
    query = select(Contact, state)
    if not can(staff.role, Can.SEE_ALL_CONTACTS):
        query = query.where(Contact.allocated_to_id == staff.id)
    if filters.get("mine"):
        query = query.where(Contact.allocated_to_id == staff.id)
    if filters.get("urgent"):
        query = query.where(Contact.urgent.is_(True))
    if filters.get("late"):
        query = query.where(state == Lateness.LATE.value)
    if filters.get("kind") in contacts.KINDS:
        query = query.where(Contact.kind == filters["kind"])
    if filters.get("stage") in {str(stage.value) for stage in Stage}:
        query = query.where(Contact.stage == int(filters["stage"]))
    return query.order_by(
        (Contact.stage == Stage.FINISHED).asc(),
        Contact.urgent.desc(),
        case(ORDER, value=state, else_=3),
        Contact.due_at.asc(),
        Contact.id.asc(),
    )


def _hours_left(clock: Clock, moment: dt.datetime, due: dt.datetime) -> int:
    left = clock.working_time_between(moment, due)
    seconds = left.total_seconds()
    return math.floor(seconds / 3600) if seconds >= 0 else -math.ceil(-seconds / 3600)


@bp.get("/tracker")
@requires(Can.SEE_CONTACTS)
def tracker() -> str:
    moment = now()
    clock = council().response.clock
    window = lateness.Window.at(moment, clock)
    filters = {key: urls.choice(key, {"1"}) for key in FILTERS} | {
        "kind": urls.choice("kind", contacts.KINDS),
        "stage": urls.choice("stage", {str(stage.value) for stage in Stage}),
    }
    query = _query(filters, window)
    total = (
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(urls.page(), pages)
    found = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    rows = [
        Row(
            contact,
            Lateness(state),
            _hours_left(clock, moment, contact.due_at),
            contact.stage == Stage.FINISHED and contacts.status(contact).feedback_given,
        )
        for contact, state in found
    ]
    staff = signed_in()
    assert staff is not None
    if not automatic_refresh():  # a view a person asked for, not the refresh every 30 seconds
        audit.record(
            db.session(),
            "viewed_tracker",
            now=moment,
            staff=staff,
            details={"filters": {k: v for k, v in filters.items() if v}, "page": page},
        )
        db.session.commit()
    template = (
        "staff/tracker/_table.html"
        if request.headers.get("HX-Request")
        else "staff/tracker/index.html"
    )
    return render_template(
        template,
        rows=rows,
        filters=filters,
        page=page,
        pages=pages,
        total=total,
        labels=labels,
        Lateness=Lateness,
        promise_titles={p.key: p.title for p in council().promises},
    )
