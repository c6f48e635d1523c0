"""/healthz: is the app up, and can it reach its database?

A load balancer or monitor may ask many times a second. A good answer from the database is
remembered for a second in this worker (`FRESH`), so those checks cost about what a bare page
costs, not a round trip each (issue 15); a failed one is never remembered, so an outage shows
at the next check once that second is over.

The check is answered in front of Flask (`answer_health_checks`), with its answers made once:
through Flask it paid every page's hooks (the session, the language, the child's choices, the
headers each added one at a time), which made it cost 1.7 bare Flask "hello"s for nothing it
uses (issue 15). It carries the same security headers as every response (app/security.py).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app import security
from app.extensions import db

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

PATH = "/healthz"
FRESH = 1.0  # seconds a good answer from the database stands
GOOD = {"status": "ok", "database": "ok"}
DOWN = {"status": "error", "database": "unreachable"}


def _database_answers(app: Flask) -> bool:
    answered_at: float | None = app.extensions.get("database_answered_at")
    if answered_at is not None and 0 <= time.monotonic() - answered_at < FRESH:
        return True
    try:
        with app.app_context():
            db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        app.logger.exception("health check: the database did not answer")
        app.extensions.pop("database_answered_at", None)
        return False
    app.extensions["database_answered_at"] = time.monotonic()
    return True


def _answer(
    status: str, found: dict[str, str], secure: bool
) -> tuple[str, list[tuple[str, str]], bytes]:
    """A status line, headers and body as Flask made them for a returned dict: compact sorted
    JSON and a newline, never kept by any cache, every response's security headers, and the
    `Vary` Flask-Compress adds to every response it might compress."""
    body = (json.dumps(found, separators=(",", ":"), sort_keys=True) + "\n").encode()
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        *security.headers(secure).items(),
        ("Vary", "Accept-Encoding"),
    ]
    return status, headers, body


def answer_health_checks(app: Flask) -> None:
    """Answer GET and HEAD /healthz before the rest of the app (anything else goes on to it:
    Flask has no /healthz, so another method is a 404 page)."""
    secure = bool(app.config["SECURE"])
    good = _answer("200 OK", GOOD, secure)
    down = _answer("503 SERVICE UNAVAILABLE", DOWN, secure)
    rest = app.wsgi_app

    def health_first(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") != PATH or method not in ("GET", "HEAD"):
            return rest(environ, start_response)
        status, headers, body = good if _database_answers(app) else down
        start_response(status, list(headers))  # a copy: a server may add to the list
        return [] if method == "HEAD" else [body]

    app.wsgi_app = health_first  # type: ignore[method-assign]
