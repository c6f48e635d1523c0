"""Subject access export, for Head of Service: JSON and a printable page, each audited."""

from __future__ import annotations

import json

from flask import Response, render_template

from app import audit, subject_access
from app.extensions import db
from app.roles import Can
from app.staff.auth import contact_or_403, requires, signed_in
from app.staff.blueprint import bp
from app.timekeeping import now


def _export(contact_id: int, form: str) -> dict[str, object]:
    contact = contact_or_403(contact_id)
    held = subject_access.everything(db.session(), contact)
    audit.record(
        db.session(),
        "subject_access_export",
        now=now(),
        staff=signed_in(),
        contact=contact,
        details={"format": form},
    )
    db.session.commit()
    return held


@bp.get("/contacts/<int:contact_id>/subject-access.json")
@requires(Can.SUBJECT_ACCESS)
def subject_access_json(contact_id: int) -> Response:
    held = _export(contact_id, "json")
    return Response(
        json.dumps(held, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": (
                f'attachment; filename="subject-access-{held["reference"]}.json"'
            ),
            "Cache-Control": "no-store",
        },
    )


@bp.get("/contacts/<int:contact_id>/subject-access")
@requires(Can.SUBJECT_ACCESS)
def subject_access_page(contact_id: int) -> tuple[str, int, dict[str, str]]:
    held = _export(contact_id, "page")
    return (
        render_template("staff/subject_access.html", held=held, contact_id=contact_id),
        200,
        {"Cache-Control": "no-store"},
    )
