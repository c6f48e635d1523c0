"""Extensions, created once here and bound to the app in create_app()."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Connection, Engine, event

from app.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
compress = Compress()
# Keyed on request.remote_addr: behind a proxy, the child's own address (ProxyFix, PROXY_COUNT).
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_limiter(app: Flask) -> None:
    """Flask-Limiter, checking only the views that carry a limit (`@limiter.limit`: the sends,
    the status lookup). Each such view checks its own limit when it is called; the check
    Flask-Limiter also runs before every request is for app-wide limits, which we have none of,
    and it cost every page and /healthz more than a third of a bare Flask "hello" (issue 15).
    Its hook after every request goes too: it adds rate limit headers, which are off, and
    takes off what a limit marked `deduct_when` costs, which no limit here is."""
    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        raise RuntimeError("app-wide rate limits need Flask-Limiter's check on every request")
    if app.config.get("RATELIMIT_HEADERS_ENABLED"):
        raise RuntimeError("rate limit headers need Flask-Limiter's hook after every request")
    limiter.init_app(app)
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    # Nothing done, for about 20 us a request (issue 15).
    app.after_request_funcs[None] = [
        hook
        for hook in app.after_request_funcs[None]
        if getattr(hook, "func", None) is not _INJECT_HEADERS
    ]


_INJECT_HEADERS = getattr(Limiter, "_Limiter__inject_headers")  # noqa: B009 (its own name)


def configured_limit(name: str) -> Callable[[], str]:
    """A rate limit read from the config at each request (LIMIT_SEND, ...; app/config.py), so
    a council, or a children's home behind one shared connection, can be given its own figure."""
    return lambda: str(current_app.config[name])


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """SQLite as the embedded store: write-ahead log, enforced foreign keys, patient locks."""
    if isinstance(connection, sqlite3.Connection):
        # SQLAlchemy begins transactions, not pysqlite, whose legacy mode lets a SAVEPOINT
        # outside its own BEGIN commit for real (SQLAlchemy's SQLite docs, "Serializable
        # isolation / Savepoints / Transactional DDL"): the exactly-once send relies on them.
        connection.isolation_level = None
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Connection) -> None:
    """One writer at a time, decided when a transaction starts: a deferred transaction that
    reads and then writes (claiming an outbox row, counting a wrong guess) could otherwise
    meet another's lock half-way and fail at once, whatever the busy timeout."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


View = TypeVar("View", bound=Callable[..., Any])


def csrf_exempt(view: View) -> View:
    """Leave the token check to the view's own form, which can then explain a stale page kindly."""
    csrf.exempt(view)
    return view
