"""The report's first page: counts with no names, words or contact details.

Counts under 5 are shown as "fewer than 5" so nobody can be picked out.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import labels
from app.contacts import lateness
from app.contacts.lateness import Lateness
from app.council import current as council
from app.extensions import db
from app.models import Contact, ContactEvent
from app.roles import Can
from app.staff.auth import requires
from app.staff.blueprint import bp
from app.timekeeping import now

QUESTIONS = ("listened", "heard", "happy")


def _feedback_answers() -> dict[str, dict[str, int]]:
    """ "How did we do?": each question's answers, given in the app or to staff alike (one
    event, the same fields)."""
    found: dict[str, dict[str, int]] = {}
    for question in QUESTIONS:
        answer = ContactEvent.details[question].as_string()
        rows = db.session.execute(
            select(answer, func.count())
            .where(ContactEvent.kind == "feedback_given")
            .group_by(answer)
        )
        found[question] = {str(key): int(count) for key, count in rows}
    return found


def _counts(column: Any) -> list[tuple[str | None, int]]:
    rows = db.session.execute(select(column, func.count()).group_by(column).order_by(column))
    return [(key, int(count)) for key, count in rows]


@bp.get("/reports")
@requires(Can.REPORTS)
def reports() -> str:
    window = lateness.Window.at(now(), council().response.clock)
    total = db.session.scalar(select(func.count()).select_from(Contact)) or 0
    on_time = (
        db.session.scalar(
            select(func.count())
            .select_from(Contact)
            .where(lateness.sql(window) == Lateness.MET.value)
        )
        or 0
    )
    urgent = db.session.scalar(select(func.count()).select_from(Contact).where(Contact.urgent)) or 0
    feedback = (
        db.session.scalar(
            select(func.count())
            .select_from(ContactEvent)
            .where(ContactEvent.kind == "feedback_given")
        )
        or 0
    )
    return render_template(
        "staff/reports.html",
        total=total,
        on_time=on_time,
        urgent=urgent,
        feedback=feedback,
        answers=_feedback_answers(),
        questions=QUESTIONS,
        tables=[
            (_l("By kind"), labels.KINDS, _counts(Contact.kind)),
            (_l("By channel"), labels.CHANNELS, _counts(Contact.channel)),
            (_l("By age band"), labels.AGE_BANDS, _counts(Contact.age_band)),
        ],
        labels=labels,
    )
