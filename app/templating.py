"""What every template can use, and the pages shown when something goes wrong."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app, render_template, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app import easyread, i18n
from app.council import Council, phone_uri, symbol_filename
from app.preferences import Preferences


def council() -> Council:
    found: Council = current_app.extensions["council"]
    return found


@cache
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    """A static file's URL with its content hash, so it can be cached for a year."""
    path = Path(current_app.static_folder or "static") / filename
    return url_for("static", filename=filename, v=_digest(path, path.stat().st_mtime_ns))


def symbol_url(symbol: str) -> str:
    return static_url(f"vendor/openmoji/{symbol_filename(symbol)}")


def _context() -> dict[str, Any]:
    return {
        "council": council(),
        "prefs": Preferences.current(),
        "html_lang": i18n.language_tag(),
        "text_direction": i18n.text_direction(),
        "easy_read_for": easyread.lines,
    }


def _error_page(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template("error.html", code=code, csrf=isinstance(error, CSRFError)), code


def _server_error(error: Exception) -> tuple[str, int]:
    current_app.logger.exception("unhandled error", exc_info=error)
    return render_template("error.html", code=500, csrf=False), 500


def init_app(app: Flask) -> None:
    app.context_processor(_context)
    app.jinja_env.globals.update(static_url=static_url, symbol_url=symbol_url, phone_uri=phone_uri)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(Exception, _server_error)
