"""Display choices: larger text, higher contrast, a font some dyslexic readers find easier, and
less movement. Kept on this phone with the age band (the session cookie), no account.

Each choice is a class on <html> (`display-larger`...), so a kept page made for one set of
choices is only ever served for that set (app/child/kept_pages.py keys on them). The rules are
in app/static/css/display.css, linked only when a choice is on, and the font's in
display-font.css, linked only when it is chosen: a child who never chooses it never downloads
its 240 KB. Without JavaScript the form posts, and the page it came from comes back.
"""

from __future__ import annotations

from dataclasses import replace

from flask import redirect, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in 3.3; stubs lag

from app.child.blueprint import bp
from app.child.navigation import safe_next
from app.forms import BaseForm, CheckboxesField
from app.preferences import Display, Preferences


class DisplayForm(BaseForm):
    display = CheckboxesField(
        _l("How would you like the pages to look?"),
        description=_l("Choose any you like, or none."),
        choices=[
            SelectChoice(Display.LARGER.value, _l("Larger text")),
            SelectChoice(Display.CONTRAST.value, _l("Higher contrast: black on white")),
            SelectChoice(Display.DYSLEXIC.value, _l("A font for dyslexia (OpenDyslexic)")),
            SelectChoice(Display.STILL.value, _l("Less movement")),
        ],
        # No Optional(): it would let an empty value ("display=") through unchecked.
        validators=[],
    )
    next = HiddenField()


@bp.route("/display", methods=["GET", "POST"])
def display() -> tuple[str, int] | Response:
    prefs = Preferences.current()
    form = DisplayForm()
    if request.method == "GET":
        form.display.data = sorted(prefs.display)
        form.next.data = safe_next()
    elif form.validate_on_submit():
        chosen = frozenset(Display(value) for value in form.display.data or ())
        replace(prefs, display=chosen).save()
        return redirect(safe_next(), code=303)
    code = 400 if form.errors else 200
    return render_template("child/display.html", form=form), code


@bp.app_template_global()
def display_classes() -> str:
    """The <html> classes of the child's display choices ("" when none)."""
    return " ".join(f"display-{choice}" for choice in sorted(Preferences.current().display))
