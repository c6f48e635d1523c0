"""Printable versions: the credit-card-sized promise card, the under-10s agreement, the posters."""

from __future__ import annotations

from flask import make_response, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.child.blueprint import bp
from app.council import current as council
from app.forms import BaseForm
from app.preferences import Preferences

NAME_TOO_LONG = _l("Write the name in 40 letters or fewer")


class AgreementForm(BaseForm):
    child_name = StringField(
        _l("The child's name (optional)"),
        validators=[Optional(), Length(max=40, message=NAME_TOO_LONG)],
    )
    worker_name = StringField(
        _l("The social worker's name (optional)"),
        validators=[Optional(), Length(max=40, message=NAME_TOO_LONG)],
    )


@bp.get("/print")
def print_index() -> str:
    return render_template("child/print/index.html")


@bp.get("/print/card")
def print_card() -> str:
    return render_template("child/print/card.html", promises=council().promises)


@bp.route("/print/agreement", methods=["GET", "POST"])
def print_agreement() -> Response:
    """Blank, or with names filled in. Names come by POST so they stay out of the address bar."""
    form = AgreementForm()
    if request.method == "GET":
        form.worker_name.data = Preferences.current().worker_name
    shown = request.method == "GET" or form.validate_on_submit()
    response = make_response(
        render_template(
            "child/print/agreement.html",
            form=form,
            promises=council().promises,
            child_name=(form.child_name.data or "") if shown else "",
            worker_name=(form.worker_name.data or "") if shown else "",
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/print/posters")
def print_posters() -> str:
    return render_template("child/print/posters.html", promises=council().promises)
