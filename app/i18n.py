"""Which language a page is in, and which way its text runs.

Every user-facing string goes through gettext; `dir` comes from the locale's own data, so a
right-to-left language is laid out right to left without a list of them kept here.
"""

from __future__ import annotations

from babel import Locale
from flask import current_app, request, session
from flask_babel import get_locale


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
