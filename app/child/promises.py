"""The promises, in the words written for the child's age, or in symbols."""

from __future__ import annotations

from dataclasses import replace

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.child.blueprint import bp
from app.child.kept_pages import kept
from app.council import current as council
from app.preferences import AgeBand, Preferences


def asked_for(prefs: Preferences) -> Preferences:
    """`?age=5_to_9&symbols=yes` shows that version without changing the child's choices: the
    service worker keeps each version to read offline (app/child/installing.py)."""
    age = request.args.get("age")
    if age not in set(AgeBand):
        return prefs
    return replace(prefs, age=AgeBand(age), symbols=request.args.get("symbols") == "yes")


@bp.get("/promises")
@kept
def promises() -> str | Response:
    prefs = asked_for(Preferences.current())
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
        prefs=prefs,
    )


@bp.get("/promises/story/<key>", defaults={"page": 0})
@bp.get("/promises/story/<key>/<int:page>")
@kept
def story(key: str, page: int) -> str:
    """A character's book, a page per URL so Back and Next work without JavaScript: the cover
    (page 0), a promise a page, then the end."""
    character = council().character(key)
    promises = council().promises
    if character is None or not 0 <= page <= len(promises) + 1:
        abort(404)
    promise = promises[page - 1] if 1 <= page <= len(promises) else None

    def at(number: int) -> str | None:
        if not 0 <= number <= len(promises) + 1:
            return None
        return (
            url_for("child.story", key=key, page=number)
            if number
            else url_for("child.story", key=key)
        )

    return render_template(
        "child/promises/story.html",
        character=character,
        page=page,
        pages=len(promises) + 2,
        promise=promise,
        world=character.pages.get(promise.key, "") if promise else "",
        back=at(page - 1),
        next=at(page + 1),
        others=[c for c in council().characters if c.key != key],
        under_5=Preferences.current().age is AgeBand.UNDER_5,
    )
