"""Mail problems (Head of Service, admin): the emails the outbox gave up on after every attempt.

An email that never arrived means someone was not told of a child's message, so the people who
can chase it see each one: to whom, its subject, how often it was tried and the last error.
Emails carry no child's words, and neither does this page.
"""

from __future__ import annotations

from flask import render_template

from app import audit, outbox
from app.extensions import db
from app.roles import Can
from app.staff.auth import requires, signed_in
from app.staff.blueprint import bp
from app.timekeeping import now


@bp.get("/mail-problems")
@requires(Can.SEE_MAIL_PROBLEMS)
def mail_problems() -> str:
    given_up = outbox.given_up(db.session())
    audit.record(
        db.session(),
        "viewed_mail_problems",
        now=now(),
        staff=signed_in(),
        details={"shown": len(given_up)},
    )
    db.session.commit()
    return render_template("staff/mail_problems.html", given_up=given_up)
