"""Accounts (admin) and the audit trail (Head of Service, admin): no contact content."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app import audit, staff_accounts, urls
from app.extensions import db
from app.forms import BaseForm
from app.labels import ROLES
from app.models import AuditEvent, StaffUser
from app.roles import Can, Role
from app.staff.auth import requires, signed_in
from app.staff.blueprint import bp
from app.timekeeping import now

AUDIT_PAGE = 50


@bp.get("/accounts")
@requires(Can.ACCOUNTS)
def accounts() -> str:
    people = db.session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    return render_template(
        "staff/accounts.html", people=people, names=ROLES, roles=Role, form=BaseForm()
    )


@bp.post("/accounts/<int:staff_id>/<change>")
@requires(Can.ACCOUNTS)
def change_account(staff_id: int, change: str) -> Response:
    if not BaseForm().validate():
        abort(400)
    person = db.session.get(StaffUser, staff_id)
    if person is None or change not in {"disable", "reset-2fa"}:
        abort(404)
    moment = now()
    if change == "disable":
        staff_accounts.disable(db.session(), person.email, moment)
        flash(_l("%(email)s is disabled and signed out everywhere.", email=person.email))
    else:
        staff_accounts.reset_second_factor(db.session(), person.email, moment)
        flash(
            _l(
                "%(email)s needs a new second factor: run `flask staff reset-2fa` to show it.",
                email=person.email,
            )
        )
    audit.record(
        db.session(),
        f"account:{change}",
        now=moment,
        staff=signed_in(),
        details={"account": person.email},
    )
    db.session.commit()
    return redirect(url_for("staff.accounts"), code=303)


@bp.get("/audit")
@requires(Can.AUDIT)
def audit_trail() -> str:
    total = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    page = min(urls.page(), max(1, -(-total // AUDIT_PAGE)))
    events = db.session.scalars(
        select(AuditEvent)
        .order_by(AuditEvent.id.desc())
        .limit(AUDIT_PAGE)
        .offset((page - 1) * AUDIT_PAGE)
    ).all()
    return render_template(
        "staff/audit.html", events=events, page=page, pages=max(1, -(-total // AUDIT_PAGE))
    )
