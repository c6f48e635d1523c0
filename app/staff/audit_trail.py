"""The audit trail (Head of Service, admin): who saw or did what, and when, in the council's
zone and in words; filtered by person, contact reference, action and dates; newest first, a
page at a time from a cursor (keyset: the hundredth page costs what the first does); and, for
Head of Service, the whole filtered trail as CSV, itself audited. No contact content.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, select

from app import audit, labels, urls
from app.contacts import normalise_reference
from app.council import current as council
from app.extensions import db
from app.models import AuditEvent, Contact, StaffUser
from app.roles import Can, can
from app.staff.auth import requires, signed_in
from app.staff.blueprint import bp
from app.templating import staff_when
from app.timekeeping import now

AUDIT_PAGE = 50
EXPORT_BATCH = 1000
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Filters:
    person: int | None = None
    reference: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as the page's URL carries them (and the audit row records them)."""
        found = {
            "person": str(self.person) if self.person else "",
            "reference": self.reference,
            "action": self.action,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {key: value for key, value in found.items() if value}


def _date(name: str) -> dt.date | None:
    value = request.args.get(name, "")
    if not value:
        return None
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    abort(400)


def _id(name: str) -> int | None:
    value = request.args.get(name, "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 10):
        abort(400)
    number = int(value)
    if not 1 <= number <= urls.LARGEST_ID:
        abort(400)
    return number


def _filters() -> Filters:
    typed = request.args.get("reference", "")
    if len(typed) > 40:
        abort(400)
    action = request.args.get("action", "")
    if action and action not in _actions():
        abort(400)
    return Filters(
        person=_id("person"),
        reference=normalise_reference(typed),
        action=action,
        since=_date("since"),
        until=_date("until"),
    )


def _actions() -> dict[str, object]:
    """Every action the trail may hold, in words: staff pick one from these."""
    events = {f"{labels.EVENT_ACTION}{kind}": kind for kind in labels.EVENTS}
    return {code: labels.audit_action(code) for code in [*labels.AUDIT_ACTIONS, *events]}


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    zone = council().response.zone
    where: list[ColumnElement[bool]] = []
    if filters.person:
        where.append(AuditEvent.staff_id == filters.person)
    if filters.reference:
        where.append(Contact.reference == filters.reference)
    if filters.action:
        where.append(AuditEvent.action == filters.action)
    if filters.since:
        where.append(AuditEvent.at >= dt.datetime.combine(filters.since, dt.time(), tzinfo=zone))
    if filters.until:
        day_after = filters.until + dt.timedelta(days=1)
        where.append(AuditEvent.at < dt.datetime.combine(day_after, dt.time(), tzinfo=zone))
    return where


def _query(filters: Filters) -> Select[AuditEvent, str | None]:
    return (
        select(AuditEvent, Contact.reference)
        .outerjoin(Contact, Contact.id == AuditEvent.contact_id)
        .where(*_conditions(filters))
    )


@bp.get("/audit")
@requires(Can.AUDIT)
def audit_trail() -> str:
    filters = _filters()
    older, newer = _id("before"), _id("after")
    query = _query(filters)
    if older:
        query = query.where(AuditEvent.id < older).order_by(AuditEvent.id.desc())
    elif newer:
        query = query.where(AuditEvent.id > newer).order_by(AuditEvent.id.asc())
    else:
        query = query.order_by(AuditEvent.id.desc())
    found = list(db.session.execute(query.limit(AUDIT_PAGE + 1)).all())
    more = len(found) > AUDIT_PAGE
    found = found[:AUDIT_PAGE]
    if newer:
        found.reverse()
    rows = [(event, reference) for event, reference in found]
    people = db.session.execute(
        select(StaffUser.id, StaffUser.name, StaffUser.email).order_by(StaffUser.name)
    ).all()
    staff = signed_in()
    assert staff is not None
    html = render_template(
        "staff/audit.html",
        rows=rows,
        filters=filters,
        args=filters.as_args(),
        people=people,
        actions=_actions(),
        newest=rows[0][0].id if rows else None,
        oldest=rows[-1][0].id if rows else None,
        has_newer=(more if newer else bool(older)),
        has_older=(more if not newer else True),
        may_export=can(staff.role, Can.EXPORT_AUDIT),
    )
    audit.record(db.session(), "viewed_audit", now=now(), staff=staff, details=filters.as_args())
    db.session.commit()
    return html


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting as a formula would is escaped."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_lines(filters: Filters) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("When"), _("Who"), _("What"), _("Action code"), _("Contact"), _("Details")])
    after = None
    while True:
        query = _query(filters).order_by(AuditEvent.id.desc()).limit(EXPORT_BATCH)
        if after is not None:
            query = query.where(AuditEvent.id < after)
        batch = list(db.session.execute(query).all())
        if not batch:
            break
        for event, reference in batch:
            writer.writerow(
                csv_cell(cell)
                for cell in (
                    staff_when(event.at, year=True, seconds=True),
                    event.actor,
                    labels.audit_action(event.action),
                    event.action,
                    reference or "",
                    json.dumps(event.details, ensure_ascii=False, sort_keys=True),
                )
            )
        after = batch[-1][0].id
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


@bp.get("/audit.csv")
@requires(Can.EXPORT_AUDIT)
def audit_export() -> Response:
    filters = _filters()
    moment = now()
    audit.record(
        db.session(), "exported_audit", now=moment, staff=signed_in(), details=filters.as_args()
    )
    db.session.commit()
    name = f"audit-{council().response.clock.local(moment):%Y-%m-%d-%H%M}.csv"
    return Response(
        "".join(_csv_lines(filters)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
