"""The promises, in the words written for the child's age, or in symbols."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from werkzeug.wrappers import Response

from app.child.blueprint import bp
from app.council import current as council
from app.preferences import AgeBand, Preferences


@bp.get("/promises")
def promises() -> str | Response:
    prefs = Preferences.current()
    if prefs.age is None:
        return redirect(url_for("child.choose", next=url_for("child.promises")))
    variant = "easy_read" if prefs.symbols else prefs.age.value
    if variant == AgeBand.UNDER_5 and not council().characters:
        # No story characters: the simplest words the council wrote, listed for a grown-up
        # to read with the child (Form.STORY's fallback), and a word to that grown-up.
        variant = "under_5_words"
    return render_template(
        [f"child/promises/{variant}.html", "child/promises/show.html"],
        groups=council().grouped_promises(),
        form=prefs.age.form,
    )


@bp.get("/promises/story/<key>")
def story(key: str) -> str:
    character = council().character(key)
    if character is None:
        abort(404)
    return render_template(
        "child/promises/story.html",
        character=character,
        promises=council().promises,
        others=[c for c in council().characters if c.key != key],
        under_5=Preferences.current().age is AgeBand.UNDER_5,
    )
