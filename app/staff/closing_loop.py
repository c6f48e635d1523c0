"""Closing the loop, staff side: IROs record promise awareness at reviews; Head of Service and
`vic` write and publish "you said, we did" items. Thin views over app/closing_loop.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app import closing_loop, labels
from app.council import current as council
from app.extensions import db
from app.forms import BaseForm, choices
from app.models import StaffUser
from app.roles import Can
from app.staff.auth import requires, signed_in
from app.staff.blueprint import bp
from app.timekeeping import now

PROBLEMS = {
    closing_loop.Problem.IN_THE_FUTURE: _l("The review cannot be in the future."),
    closing_loop.Problem.UNKNOWN_AGE_BAND: _l("Choose the child's age band."),
    closing_loop.Problem.UNKNOWN_PROMISE: _l("Choose a promise, or “Something else”."),
    closing_loop.Problem.WORDS_NEEDED: _l("Write what children told us and what we did."),
    closing_loop.Problem.NO_SUCH_ITEM: _l("That item is not there any more."),
    closing_loop.Problem.CONTACT_DETAILS: _l(
        "Take out the email address or phone number: every child using the app reads this."
    ),
}


class AwarenessForm(BaseForm):
    reviewed_on = DateField(
        _l("Date of the review"), validators=[InputRequired(_l("Enter the date of the review"))]
    )
    age_band = RadioField(
        _l("The child's age band"),
        choices=choices(labels.AGE_BANDS),
        validators=[InputRequired(_l("Choose the child's age band"))],
    )
    shared = RadioField(
        _l("Has their current social worker shared and talked about the promise with them?"),
        choices=choices(labels.YES_NO),
        validators=[InputRequired(_l("Choose yes or no"))],
    )


class ItemForm(BaseForm):
    promise_key = RadioField(
        _l("Which promise is it about?"), validators=[InputRequired(_l("Choose a promise"))]
    )
    you_said = TextAreaField(
        _l("You told us…"),
        description=_l("No names or details that could identify a child. Plain words."),
        validators=[DataRequired(_l("Write what children told us")), Length(max=500)],
    )
    we_did = TextAreaField(
        _l("So we…"),
        validators=[DataRequired(_l("Write what we did")), Length(max=500)],
    )


def _today() -> Any:
    return council().response.clock.local(now()).date()


def _submitted(
    form: BaseForm, save: Callable[[StaffUser], object], field: Any, done: Any, then: str
) -> Response | None:
    """One way for both pages' forms: validate, call the rule, commit and go back to the page
    (or None: show the page again, with the form's errors or the rule's refusal on `field`)."""
    if not form.validate():
        return None
    staff = signed_in()
    assert staff is not None
    try:
        save(staff)
    except closing_loop.Refused as refused:
        db.session.rollback()
        field.errors = [PROBLEMS[refused.problem]]
        return None
    db.session.commit()
    flash(done)
    return redirect(url_for(then), code=303)


@bp.route("/awareness", methods=["GET", "POST"])
@requires(Can.RECORD_AWARENESS)
def awareness() -> Response | tuple[str, int]:
    form = AwarenessForm()
    if form.is_submitted():
        done = _submitted(
            form,
            lambda staff: closing_loop.record_awareness(
                db.session(),
                reviewed_on=form.reviewed_on.data or _today(),
                age_band=form.age_band.data,
                shared=form.shared.data == "yes",
                by=staff,
                now=now(),
                today=_today(),
            ),
            form.reviewed_on,
            _l("Recorded. Thank you."),
            "staff.awareness",
        )
        if done is not None:
            return done
    return render_template("staff/awareness.html", form=form), 400 if form.is_submitted() else 200


def _item_form() -> ItemForm:
    form = ItemForm()
    form.promise_key.choices = [
        *((promise.key, promise.title) for promise in council().promises),
        ("other", _l("Something else")),
    ]
    return form


@bp.route("/you-said-we-did", methods=["GET", "POST"])
@requires(Can.PUBLISH_YOU_SAID)
def you_said() -> Response | tuple[str, int]:
    form = _item_form()
    if form.is_submitted():
        done = _submitted(
            form,
            lambda staff: closing_loop.write_item(
                db.session(),
                promise_key=form.promise_key.data,
                you_said=form.you_said.data or "",
                we_did=form.we_did.data or "",
                promise_keys=list(council().promises_by_key),
                by=staff,
                now=now(),
            ),
            form.you_said,
            _l("Saved. Publish it when it is ready for children to read."),
            "staff.you_said",
        )
        if done is not None:
            return done
    return render_template(
        "staff/you_said.html",
        form=form,
        items=closing_loop.items(db.session(), published_only=False),
        promises=council().promises_by_key,
    ), 400 if form.is_submitted() else 200


@bp.post("/you-said-we-did/<int:item_id>/<any(publish, withdraw):change>")
@requires(Can.PUBLISH_YOU_SAID)
def you_said_publish(item_id: int, change: str) -> Response:
    staff = signed_in()
    assert staff is not None
    form = BaseForm()
    if not form.validate():
        flash(_l("This page was open for a long time. Press the button again."))
        return redirect(url_for("staff.you_said"), code=303)
    try:
        closing_loop.publish_item(
            db.session(), item_id, by=staff, now=now(), publish=change == "publish"
        )
    except closing_loop.Refused as refused:
        db.session.rollback()
        flash(PROBLEMS[refused.problem])
        return redirect(url_for("staff.you_said"), code=303)
    db.session.commit()
    flash(_l("Published: children see it in the app.") if change == "publish" else _l("Withdrawn."))
    return redirect(url_for("staff.you_said"), code=303)
