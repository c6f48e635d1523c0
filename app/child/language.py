"""Choose the language: a link per language in the menu, remembered in a cookie for a year.

A link, not a form: the plain pages are kept (app/child/kept_pages.py) and carry no form token,
and choosing a language changes nothing but how this phone shows the pages.
"""

from __future__ import annotations

from flask import current_app, redirect, request
from werkzeug.wrappers import Response

from app import i18n
from app.child.blueprint import bp
from app.child.navigation import safe_next


@bp.get("/language")
def language() -> Response:
    response = redirect(safe_next(), code=303)
    chosen = request.args.get("lang", "")
    if chosen in i18n.languages():
        response.set_cookie(
            i18n.COOKIE,
            chosen,
            max_age=i18n.COOKIE_AGE,
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            httponly=True,
            samesite="Lax",
        )
    return response
