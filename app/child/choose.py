"""Choose your age and whether to see symbols; remembered on this phone."""

from __future__ import annotations

from dataclasses import replace

from flask import redirect, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in 3.3; stubs lag
from wtforms.validators import InputRequired

from app.child.blueprint import bp
from app.child.navigation import safe_next
from app.forms import BaseForm
from app.preferences import AgeBand, Preferences


class ChooseForm(BaseForm):
    age = RadioField(
        _l("How old are you?"),
        choices=[
            SelectChoice(AgeBand.UNDER_5.value, _l("Under 5, with a grown-up")),
            SelectChoice(AgeBand.FIVE_TO_NINE.value, _l("5 to 9")),
            SelectChoice(AgeBand.TEN_PLUS.value, _l("10 or older")),
        ],
        validators=[InputRequired(_l("Choose how old you are"))],
    )
    symbols = RadioField(
        _l("Would you like symbols beside the words?"),
        choices=[
            SelectChoice("no", _l("Words only")),
            SelectChoice("yes", _l("Words and symbols")),
        ],
        validators=[InputRequired(_l("Choose words only, or words and symbols"))],
    )
    next = HiddenField()


@bp.route("/choose", methods=["GET", "POST"])
def choose() -> str | Response:
    prefs = Preferences.current()
    form = ChooseForm()
    if request.method == "GET":
        form.age.data = prefs.age.value if prefs.age else None
        form.symbols.data = "yes" if prefs.symbols else ("no" if prefs.age else None)
        form.next.data = safe_next()
    elif form.validate_on_submit():
        replace(prefs, age=AgeBand(form.age.data), symbols=form.symbols.data == "yes").save()
        return redirect(safe_next(), code=303)
    return render_template("child/choose.html", form=form)
