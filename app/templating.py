"""What every template can use, and the pages shown when something goes wrong."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import ChainMap
from collections.abc import KeysView, MutableMapping
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import get_day_names
from babel.lists import format_list
from flask import Flask, current_app, has_request_context, render_template, request, url_for
from flask.templating import Environment as FlaskEnvironment
from flask_babel import format_date, format_time, format_timedelta, get_locale, ngettext
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from jinja2 import Template
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app import easyread, i18n, kept_parts, labels, symbol_sheet
from app.council import current as council
from app.council import phone_uri, symbol_filename
from app.easyread import words
from app.extensions import db
from app.preferences import Preferences
from app.roles import Can, can


class _Globals(ChainMap[str, Any]):
    """A template's globals over the environment's, as Jinja's own ChainMap, with its keys
    given as a dict's: Jinja takes them from the importing page's on every `{% from ... import
    %}`, and against a ChainMap's keys view that difference was a Python loop over every
    global, about 30 us an import and five imports a check page (issue 15). A dict's keys are
    taken away in C. They are the keys at the time asked, as Jinja uses them at once."""

    def keys(self) -> KeysView[str]:
        merged: dict[str, None] = {}
        for mapping in reversed(self.maps):
            merged.update(dict.fromkeys(mapping))
        return merged.keys()


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, its templates' globals a `_Globals`."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _Globals({} if d is None else d, self.globals)


@cache
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    """A static file's URL with its content hash, so it can be cached for a year. Worked out
    once per file, except in development, where files change as they are edited."""
    if current_app.config["ENV_NAME"] == "development":
        return _static_url(filename)
    known: dict[tuple[str, str], str] = current_app.extensions.setdefault("static_urls", {})
    key = (request.script_root if has_request_context() else "", filename)
    found = known.get(key)
    if found is None:
        found = known[key] = _static_url(filename)
    return found


def _static_url(filename: str) -> str:
    path = Path(current_app.static_folder or "static") / filename
    return url_for("static", filename=filename, v=_digest(path, path.stat().st_mtime_ns))


def symbol_url(symbol: str) -> str:
    return static_url(f"vendor/openmoji/{symbol_filename(symbol)}")


def when(moment: dt.datetime) -> str:
    """A deadline as a child would say it: "Wednesday 25 November at 10am", or "the end of
    Tuesday 24 November" when it falls at midnight. Shown in the council's time zone."""
    local = moment.astimezone(council().response.zone)
    if local.time() == dt.time(0, 0):
        day = format_date(local.date() - dt.timedelta(days=1), "EEEE d MMMM")
        return str(_("the end of %(day)s", day=day))
    day = format_date(local.date(), "EEEE d MMMM")
    locale = get_locale()
    if locale is not None and locale.language == "en":
        hour = local.hour % 12 or 12
        minutes = f":{local.minute:02d}" if local.minute else ""
        time = f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"
    else:
        time = format_time(local.time(), "short")
    return str(_("%(day)s at %(time)s", day=day, time=time))


def staff_when(moment: dt.datetime, *, year: bool = False, seconds: bool = False) -> str:
    """A moment as staff scan it in a list, in the council's zone: "Wed 25 Nov, 4:50pm"
    ("Wed 25 Nov 2026, 4:50:12pm" with the year and seconds, for the audit trail)."""
    local = moment.astimezone(council().response.zone)
    day = format_date(local.date(), "EEE d MMM y" if year else "EEE d MMM")
    locale = get_locale()
    if locale is not None and locale.language == "en":
        hour = local.hour % 12 or 12
        time = f"{hour}:{local.minute:02d}" + (f":{local.second:02d}" if seconds else "")
        time += "am" if local.hour < 12 else "pm"
    else:
        time = format_time(local.time(), "medium" if seconds else "short")
    return f"{day}, {time}"


def week_in_words(days: frozenset[int], locale: Locale, *, abbreviated: bool = False) -> str:
    """Working days (Monday is 0) as a child would say them, in `locale`: "Monday to Friday"
    for a run of three or more (a run may wrap round the week's end: "Sunday to Thursday"),
    else a list in the locale's own way, "Monday, Wednesday and Friday"."""
    names = get_day_names("abbreviated" if abbreviated else "wide", locale=locale)
    if len(days) == 7:
        return str(_("every day"))
    first = min(day for day in days if (day - 1) % 7 not in days)
    run = [(first + step) % 7 for step in range(len(days))]
    if len(days) >= 3 and set(run) == days:
        return str(_("%(first)s to %(last)s", first=names[run[0]], last=names[run[-1]]))
    return format_list([names[day] for day in sorted(days)], locale=locale)


def working_week(abbreviated: bool = False) -> str:
    """The council's working week, in the page's language."""
    locale = get_locale() or Locale.parse(current_app.config["BABEL_DEFAULT_LOCALE"])
    return week_in_words(council().response.weekdays, locale, abbreviated=abbreviated)


def how_long(wait: dt.timedelta) -> str:
    """A wait in words, rounded up so it is never said shorter than it is: "1 minute",
    "4 minutes", "2 hours", "1 day"."""
    seconds = max(wait.total_seconds(), 1.0)
    minute, hour, day = 60, 60 * 60, 24 * 60 * 60
    unit = minute if seconds <= hour else hour if seconds <= day else day
    count = math.ceil(seconds / unit)
    if unit == day:  # never weeks: Babel would round 9 days down to "1 week"
        return str(ngettext("%(num)d day", "%(num)d days", count))
    return str(format_timedelta(dt.timedelta(seconds=count * unit), threshold=1))


def look_css() -> str:
    """The council's colours (council.toml) as the style sheet's custom properties."""
    colours = council().app
    worlds = "".join(f".world-{c.key}{{--world:{c.colour}}}" for c in council().characters)
    return (
        f":root{{--brand:{colours.theme_colour};--accent:{colours.accent_colour};"
        f"--soft:{colours.soft_colour}}}{worlds}\n"
    )


def look_url() -> str:
    """The colours' URL, named by what they are, so a phone keeps them for a year."""
    found: str | None = current_app.extensions.get("look_url")
    if found is None:
        version = hashlib.sha256(look_css().encode()).hexdigest()[:12]
        found = current_app.extensions["look_url"] = url_for("child.look", v=version)
    return found


def symbol_mode() -> bool:
    """Whether the child chose symbols: for the shared macros, which see no page context."""
    return has_request_context() and Preferences.current().symbols


# The smallest pieces of every child page, a symbol and the words beside it. They were Jinja
# macros in components/ui.html and forms.html (`symbol_img`, `said_line`, `said_button`, `mark`,
# `said`), which export these under the same names: a macro call makes a new context per call,
# and a page calls them twenty to sixty times (issue 15). tests/test_pieces.py compares their
# bytes with the macros'.


def symbol_img(symbol: str, size: int = 32, lazy: bool = True) -> Markup:
    """A symbol beside words that say the same: alt="". It loads as it comes near the
    screen unless `lazy` is false (printed pages and the first screen)."""
    return Markup('<img class="symbol" src="%s" alt="" width="%s" height="%s"%s>') % (
        symbol_url(symbol),
        size,
        size,
        Markup(' loading="lazy"') if lazy else "",
    )


def _beside(symbol: str | None, text: Any, size: int) -> Markup:
    if symbol and symbol_mode():
        return Markup('<span class="said">%s<span>%s</span></span>') % (
            symbol_img(symbol, size),
            text,
        )
    return escape(text)


def said_line(symbol: str, text: Any) -> Markup:
    """A heading or a line with its symbol on the start side, in symbol mode only."""
    return _beside(symbol, text, 48)


def said(symbol: str | None, text: Any) -> Markup:
    """A form's label, hint or error with its symbol, in symbol mode only."""
    return _beside(symbol, text, 40)


def said_button(symbol: str, text: Any) -> Markup:
    """A button's words with its symbol, in symbol mode only."""
    if symbol_mode():
        return Markup("%s<span>%s</span>") % (symbol_img(symbol, 32), text)
    return escape(text)


def mark(symbol: str) -> Markup:
    """A line's symbol at its start, in symbol mode only."""
    return Markup("%s ") % symbol_img(symbol, 40) if symbol_mode() else Markup("")


class Pieces:
    """The pieces, as the one global `pieces` the two component templates read."""

    symbol_img = staticmethod(symbol_img)
    said_line = staticmethod(said_line)
    said = staticmethod(said)
    said_button = staticmethod(said_button)
    mark = staticmethod(mark)


def _context() -> dict[str, Any]:
    return {
        "council": council(),
        "prefs": Preferences.current(),
        "html_lang": i18n.language_tag(),
        "text_direction": i18n.text_direction(),
        "easy_read_for": easyread.lines,
        "choice_symbols": labels.CHOICE_SYMBOLS,
        "promise_symbols": council().promise_symbols,
    }


def _error_template() -> list[str | Template]:
    staff = has_request_context() and request.path.startswith("/staff")
    return ["staff/error.html", "error.html"] if staff else ["error.html"]


def _error_page(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template(_error_template(), code=code, csrf=isinstance(error, CSRFError)), code


def _server_error(error: Exception) -> tuple[str, int]:
    current_app.logger.exception("unhandled error", exc_info=error)
    # A failed statement leaves PostgreSQL's transaction aborted: the page must not need it.
    with suppress(SQLAlchemyError):
        db.session.rollback()
    return render_template(_error_template(), code=500, csrf=False), 500


def init_app(app: Flask) -> None:
    app.context_processor(_context)
    app.jinja_env.globals.update(static_url=static_url, symbol_url=symbol_url, phone_uri=phone_uri)
    app.jinja_env.globals.update(format_date=format_date)
    app.jinja_env.globals.update(
        working_week=working_week, symbol_mode=symbol_mode, child_words=words, look_url=look_url
    )
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["symbol_sheet"] = symbol_sheet.gather
    app.jinja_env.filters["staff_when"] = staff_when
    app.jinja_env.globals.update(can=can, Can=Can, labels=labels)
    kept_parts.init_app(app)
    app.jinja_env.globals["pieces"] = Pieces
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(Exception, _server_error)
