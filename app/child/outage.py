"""When the database cannot be reached: say so honestly, and lose nothing the child typed.

A step whose answers could not be saved is shown again with exactly what was typed in it and
a plain message ("your message has not been sent yet"); pressing the button again retries.
Any other page says the same in general words, with who to call now, never a bare 500.
"""

from __future__ import annotations

from contextlib import suppress

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

from app.child.blueprint import bp
from app.child.tell_us import form_for
from app.child.tell_us_steps import STEPS, position
from app.extensions import db

NOT_SAVED = _l(
    "Your message has not been sent yet: we cannot reach our records just now. Your words are "
    "kept on this page. Wait a minute, then press the button again."
)


UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError)


@bp.errorhandler(OperationalError)
@bp.errorhandler(InterfaceError)
@bp.errorhandler(DisconnectionError)
def database_unreachable(error: Exception) -> tuple[str, int]:
    current_app.logger.error("the database cannot be reached: %s", error)
    with suppress(*UNREACHABLE):  # the connection is gone; the pool makes a new one next time
        db.session.rollback()
    step = (request.view_args or {}).get("step")
    if request.endpoint == "child.tell_us_step" and step in STEPS:
        # What was typed comes back from the request itself: nothing is read from the database.
        values = {"kind": "praise"} if "praise_name" in request.form else {}
        if "email" in request.form:
            values["how"] = "email"
        form = form_for(step, values)
        form.form_errors.append(NOT_SAVED)
        number, steps = position(step, values)
        page = render_template(
            [f"child/tell_us/{step}.html", "child/tell_us/question.html"],
            form=form,
            step=step,
            answers={},
            change=bool(request.values.get("change")),
            number=number,
            steps=steps,
        )
        return page, 503  # never stored: the blueprint says so for every /tell-us/ page
    resend = request.form if request.method == "POST" else None
    return render_template("child/outage.html", resend=resend), 503
