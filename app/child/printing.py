"""Printable versions: the credit-card-sized promise card, the under-10s agreement, the posters."""

from __future__ import annotations

from flask import make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.child.blueprint import bp
from app.child.kept_pages import kept
from app.child.print_layout import MOST_CARDS, density, plan_card
from app.council import Form, Promise
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
@kept
def print_index() -> str:
    return render_template("child/print/index.html")


def in_order() -> list[Promise]:
    """The promises as the promises page lists them: under their headings, in file order."""
    return [promise for _, group in council().grouped_promises() for promise in group]


@bp.get("/print/card")
@kept
def print_card() -> str:
    """The card, planned so every pledge fits it at a readable size, or is printed after it."""
    promises = in_order()
    plan = plan_card(
        [promise.words(Form.CARD) for promise in promises],
        heading=_("Our promises to you"),
        heading_continued=_(
            "Our promises to you, card %(number)s of %(count)s", number=MOST_CARDS, count=MOST_CARDS
        ),
    )
    return render_template(
        "child/print/card.html",
        plan=plan,
        sides=[[promises[index] for index in side] for side in plan.sides],
        groups=council().grouped_promises(),
        count=len(promises),
    )


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
            promises=in_order(),
            density=density(sum(len(p.words(Form.AGREEMENT)) for p in in_order()), 900, 1600),
            child_name=(form.child_name.data or "") if shown else "",
            worker_name=(form.worker_name.data or "") if shown else "",
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/print/posters")
@kept
def print_posters() -> str:
    """Each poster's type by how much it holds, so Leeds' fit a page each and 80 pledges flow
    onto more pages at a size that still reads."""
    promises = in_order()
    return render_template(
        "child/print/posters.html",
        promises=promises,
        densities={
            "poster": density(sum(len(p.words(Form.POSTER)) for p in promises), 900, 1600),
            "symbols": density(sum(len(p.easy_read_lines()) for p in promises), 10, 16),
            "card": density(sum(len(p.words(Form.CARD)) for p in promises), 900, 1600),
        },
    )
