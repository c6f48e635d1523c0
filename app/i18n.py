"""Which language a page is in, and which way its text runs.

Every user-facing string goes through gettext; `dir` comes from the locale's own data, so a
right-to-left language is laid out right to left without a list of them kept here.

The languages offered are English and every catalogue shipped under translations/ (or the
LANGUAGES setting, when a council wants fewer). A child's choice is kept in the `lang` cookie
for a year; without one, the browser's Accept-Language decides. Staff pages stay in English:
their strings go through gettext but are not translated, and a child's choice made on a shared
computer must not switch the staff side.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import force_locale, format_date, get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from app import accepting, offline_choices

P = ParamSpec("P")
R = TypeVar("R")

COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 60 * 60  # a year, in seconds
STAFF = "/staff"


def shipped(directory: Path) -> list[str]:
    """English, then every language with a catalogue under `directory`, in a steady order."""
    found = sorted(path.parent.parent.name for path in directory.glob("*/LC_MESSAGES/messages.po"))
    return ["en", *[lang for lang in found if lang != "en"]]


def languages() -> list[str]:
    found: list[str] = current_app.config["LANGUAGES"]
    return found


def own_name(lang: str) -> str:
    """A language named in itself ("العربية", "Polski"), as its speakers look for it."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def is_staff_page() -> bool:
    return request.path == STAFF or request.path.startswith(STAFF + "/")


def select_locale() -> Locale:
    """This request's language, as the Locale Flask-Babel would otherwise parse from its tag
    on every request (about 8 us each time, issue 15): parsed once per language."""
    default: str = current_app.config["BABEL_DEFAULT_LOCALE"]
    if is_staff_page():
        return _locale(default)
    return _locale(chosen_language() or browsers_language() or default)


@functools.cache
def _locale(tag: str) -> Locale:
    """One of the few tags offered (languages() and the default), so the memory is bounded."""
    return Locale.parse(tag)


def browsers_language() -> str | None:
    """The browser's choice, worked out once per Accept-Language value (app/accepting.py)."""
    sent = request.headers.get("Accept-Language", "")
    return accepting.best_language(sent, tuple(languages()))


def chosen_language() -> str | None:
    """The language the child chose in the menu (the cookie), or the one the service worker
    asks for on their behalf (app/offline_choices.py); None when the browser's own decides."""
    wanted = offline_choices.asked()
    chosen = wanted["lang"] if wanted is not None else request.cookies.get(COOKIE)
    return str(chosen) if chosen in languages() else None


def text_direction() -> str:
    locale = get_locale() or Locale.parse(current_app.config["BABEL_DEFAULT_LOCALE"])
    return "rtl" if locale.text_direction == "rtl" else "ltr"


def language_tag() -> str:
    locale = get_locale()
    return str(locale).replace("_", "-") if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def for_staff(compose: Callable[P, R]) -> Callable[P, R]:
    """Write a staff email in the service's own language, whatever the request's.

    Emails to staff are composed inside the request that caused them, and that may be a
    child's request in Arabic; the staff who read them work in the council's language.
    Python code takes its words from Flask-Babel's own gettext, which honours the forced
    locale (templates' `_catalogue` is this request's and does not)."""

    @functools.wraps(compose)
    def composed(*args: P.args, **kwargs: P.kwargs) -> R:
        if not has_app_context():
            return compose(*args, **kwargs)
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            return compose(*args, **kwargs)

    return composed


def long_date(moment: dt.datetime) -> str:
    """ "Tuesday 24 November 2026", in the language in force, of a moment already local."""
    return str(format_date(moment.date(), "EEEE d MMMM y"))


def menu() -> list[dict[str, str]]:
    """The language menu's entries: each language's tag, own name and direction. Made once
    for the languages offered: naming seven languages from Babel's data on every child page
    cost more than a bare Flask "hello" (issue 15)."""
    offered = tuple(languages())
    made: tuple[tuple[str, ...], list[dict[str, str]]] | None = current_app.extensions.get(
        "language_menu"
    )
    if made is None or made[0] != offered:
        entries = [
            {"lang": lang, "name": own_name(lang), "dir": Locale.parse(lang).text_direction}
            for lang in offered
        ]
        made = current_app.extensions["language_menu"] = (offered, entries)
    return [dict(entry) for entry in made[1]]


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
    """The languages offered, and templates' `_()` and `ngettext()` through `_catalogue`
    (after Flask-Babel's own)."""
    if not app.config.get("LANGUAGES"):
        app.config["LANGUAGES"] = shipped(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    app.jinja_env.globals.update(language_menu=menu)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: _catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: _catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: _catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _catalogue().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )
    # `_()` and `gettext()` themselves, the way Jinja's newstyle gettext works (the string
    # looked up, marked safe under autoescape, then always %-formatted), without its two
    # context calls and a name lookup in between: a status page says sixty strings (issue 15).
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Flask-Babel's lazy_gettext, said through this request's `_catalogue`: a question page
    says its labels and choices about thirty times, each through Flask-Babel's five context
    lookups (issue 15). Inside `force_locale` (`for_staff`) it says them as Flask-Babel does."""
    return LazyString(_gettext_in_force, string, **variables)


def _gettext_in_force(string: str, **variables: Any) -> str:
    babel = g.get("_flask_babel") if has_request_context() else None
    forced = babel is None or getattr(babel, "forced_babel_locale", None) is not None
    translations = get_translations() if forced else _catalogue()
    found = translations.ugettext(string)
    return found % variables if variables else found


@pass_context
def _template_gettext(context: Context, string: str, **variables: Any) -> str:
    found = _catalogue().ugettext(string)
    if context.eval_ctx.autoescape:
        found = Markup(found)  # noqa: S704  # our own catalogue, as Jinja marks it
    return found % variables
