"""Messages being written: kept between pages on the server, found by a token in the session.

So the journey works without JavaScript and nothing the child types sits in a cookie. A draft
goes when the message is sent, at the quick exit, and a week after it was last touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from app.models import Draft

KEPT_FOR = dt.timedelta(days=7)
# Read and written as rows, not as ORM objects: a draft is one value found by one key, and the
# ORM's identity map and unit of work took a fifth of every answer's CPU (issue 15). Still in
# the session's own transaction (Session.connection), so it commits or rolls back with it,
# unless a question or an answer runs statement by statement (below).
_TABLE = cast(Table, Draft.__table__)
# Each statement built once, its values bound as it runs: built afresh for every call, with
# its cache key worked out again, a statement cost a question or an answer about 75 us more
# of CPU (issue 15). SQLAlchemy still compiles each once and keeps it (its statement cache).
_READ = select(_TABLE.c.answers).where(_TABLE.c.token_hash == bindparam("hash"))
_WRITE = (
    update(_TABLE)
    .where(_TABLE.c.token_hash == bindparam("hash"))
    .values(answers=bindparam("kept"), updated_at=bindparam("now"))
)
_TOUCH = (
    update(_TABLE)
    .where(_TABLE.c.token_hash == bindparam("hash"))
    .values(updated_at=bindparam("now"))
)
_BEGIN = insert(_TABLE).values(
    token_hash=bindparam("hash"), answers=bindparam("kept"), updated_at=bindparam("now")
)
_FORGET_OLD = delete(_TABLE).where(_TABLE.c.updated_at < bindparam("before"))
_DISCARD = delete(_TABLE).where(_TABLE.c.token_hash == bindparam("hash"))
# The connection a question or an answer works on, statement by statement, while it does.
_ALONE: ContextVar[Connection | None] = ContextVar("draft_statements_alone", default=None)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _connection(session: Session) -> Connection:
    return _ALONE.get() or session.connection()


def load(session: Session, token: str | None) -> dict[str, Any]:
    if not token:
        return {}
    answers = _connection(session).execute(_READ, {"hash": _hash(token)}).scalar_one_or_none()
    return dict(answers) if answers is not None else {}


def save(
    session: Session,
    token: str,
    answers: dict[str, Any],
    now: dt.datetime,
    *,
    unchanged: bool = False,
) -> None:
    """Keep `answers` as the draft's: one UPDATE for a draft already begun, else a new row
    (and the drafts nobody has touched for a week go). `unchanged`: the caller read these
    very answers in this transaction, so only the time it was touched is written (nothing to
    encrypt again, as the ORM did not write an unchanged value either)."""
    found = {"hash": _hash(token), "kept": answers, "now": now}
    connection = _connection(session)
    changed = connection.execute(_TOUCH if unchanged else _WRITE, found)
    if changed.rowcount == 0:
        connection.execute(_FORGET_OLD, {"before": now - KEPT_FOR})
        connection.execute(_BEGIN, found)


def discard(session: Session, token: str | None) -> None:
    if token:
        _connection(session).execute(_DISCARD, {"hash": _hash(token)})


@contextmanager
def statement_by_statement(session: Session, *, wanted: bool = True) -> Iterator[None]:
    """Each statement its own transaction, for a request that reads and writes one draft and
    nothing else (a question and its answer): no BEGIN, COMMIT or ROLLBACK goes to the
    database, two of a question's four round trips and two of an answer's five (issue 15).
    A SELECT then an UPDATE were never one atomic step (no row is locked), so nothing a child
    typed depends on the transaction. The draft's statements then run on a connection of
    their own in AUTOCOMMIT, not the session's; when the session has begun a transaction
    already, or works on a connection someone else holds in one (the tests' own), they run in
    it as before. Afterwards the connection goes back as it came (nothing to roll back: no
    round trip), so whatever runs next has its transaction again.

    PostgreSQL only: SQLite has no round trips to save, and its connections must stay as
    app/extensions.py makes them (SQLAlchemy begins each transaction; pysqlite's own mode,
    which SQLAlchemy restores after AUTOCOMMIT, would let a savepoint commit for real)."""
    bind = session.get_bind()
    if (
        not wanted
        or not isinstance(bind, Engine)
        or bind.dialect.name != "postgresql"
        or session.in_transaction()
    ):
        yield
        return
    # A connection of its own, not the session's: beginning the session's transaction and
    # rolling it back cost about 50 us more of CPU than this (issue 15).
    with bind.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        held = _ALONE.set(connection)
        try:
            yield
        finally:
            _ALONE.reset(held)
