"""The report's first page: counts with no names, words or contact details.

Counts under 5 are shown as "fewer than 5" so nobody can be picked out.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from sqlalchemy import func, select

from app.extensions import db
from app.models import Contact, ContactEvent
from app.roles import Can
from app.staff.auth import requires
from app.staff.blueprint import bp
from app.staff.tracker import WHAT_LABELS


def _counts(column: Any) -> list[tuple[str, int]]:
    rows = db.session.execute(select(column, func.count()).group_by(column).order_by(column))
    return [(str(key), int(count)) for key, count in rows]


@bp.get("/reports")
@requires(Can.REPORTS)
def reports() -> str:
    total = db.session.scalar(select(func.count()).select_from(Contact)) or 0
    on_time = (
        db.session.scalar(
            select(func.count())
            .select_from(Contact)
            .where(
                Contact.first_contact_at.is_not(None), Contact.first_contact_at <= Contact.due_at
            )
        )
        or 0
    )
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
        feedback=feedback,
        by_kind=_counts(Contact.kind),
        by_channel=_counts(Contact.channel),
        by_age=_counts(Contact.age_band),
        what=WHAT_LABELS,
    )
