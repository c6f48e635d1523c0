"""Which language a page is in, and which way its text runs.

Every user-facing string goes through gettext; `dir` comes from the locale's own data, so a
right-to-left language is laid out right to left without a list of them kept here.
"""

from __future__ import annotations

from typing import cast

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations


def select_locale() -> str:
    languages: list[str] = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def text_direction() -> str:
    locale = get_locale() or Locale.parse(current_app.config["BABEL_DEFAULT_LOCALE"])
    return "rtl" if locale.text_direction == "rtl" else "ltr"


def language_tag() -> str:
    locale = get_locale()
    return str(locale).replace("_", "-") if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def _catalogue() -> NullTranslations:
    """This request's translations, found once. Flask-Babel looks them up afresh for every
    string, through five context lookups: a fifth of a form page's cost (issue 15)."""
    if not has_request_context():
        return cast(NullTranslations, get_translations())
    found: NullTranslations | None = g.get("catalogue")
    if found is None:
        found = g.catalogue = get_translations()
    return found


def init_app(app: Flask) -> None:
    """Templates' `_()` and `ngettext()` through `_catalogue` (after Flask-Babel's own)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: _catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: _catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: _catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _catalogue().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )
