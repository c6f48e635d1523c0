"""My promise card: the social worker's name and number, kept on this phone only.

Like the printed card's "Me: ___ Tel: ___". It lives in the child's own cookie, never in the
database, and the quick exit forgets it.
"""

from __future__ import annotations

from dataclasses import replace

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.child.blueprint import bp
from app.forms import PHONE, BaseForm
from app.preferences import Preferences


class MyCardForm(BaseForm):
    worker_name = StringField(
        _l("Your social worker's name (optional)"),
        validators=[
            Optional(),
            Length(max=60, message=_l("Write the name in 60 letters or fewer")),
        ],
    )
    worker_phone = StringField(
        _l("Their phone number (optional)"),
        description=_l("For example, 07700 900 982"),
        validators=[
            Optional(),
            PHONE,
        ],
    )


def _private(body: str | Response) -> Response:
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/my-card", methods=["GET", "POST"])
def my_card() -> Response:
    prefs = Preferences.current()
    form = MyCardForm()
    if request.method == "GET":
        form.worker_name.data = prefs.worker_name
        form.worker_phone.data = prefs.worker_phone
    elif form.validate_on_submit():
        replace(
            prefs,
            worker_name=form.worker_name.data or "",
            worker_phone=form.worker_phone.data or "",
        ).save()
        flash(_("Saved on this phone."))
        return redirect(url_for("child.my_card"), code=303)
    return _private(render_template("child/my_card.html", form=form))


@bp.post("/my-card/forget")
def forget_my_card() -> Response:
    replace(Preferences.current(), worker_name="", worker_phone="").save()
    flash(_("Your card is forgotten on this phone."))
    return redirect(url_for("child.my_card"), code=303)
