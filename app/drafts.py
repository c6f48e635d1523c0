"""Messages being written: kept between pages on the server, found by a token in the session.

So the journey works without JavaScript and nothing the child types sits in a cookie. A draft
goes when the message is sent, at the quick exit, and a week after it was last touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Engine, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from app.models import Draft

KEPT_FOR = dt.timedelta(days=7)
# Read and written as rows, not as ORM objects: a draft is one value found by one key, and the
# ORM's identity map and unit of work took a fifth of every answer's CPU (issue 15). Still in
# the session's own transaction (Session.connection), so it commits or rolls back with it.
_TABLE = cast(Table, Draft.__table__)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load(session: Session, token: str | None) -> dict[str, Any]:
    if not token:
        return {}
    found = session.connection().execute(
        select(_TABLE.c.answers).where(_TABLE.c.token_hash == _hash(token))
    )
    answers = found.scalar_one_or_none()
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
    token_hash = _hash(token)
    connection = session.connection()
    written = {"updated_at": now} if unchanged else {"answers": answers, "updated_at": now}
    changed = connection.execute(
        update(_TABLE).where(_TABLE.c.token_hash == token_hash).values(**written)
    )
    if changed.rowcount == 0:
        connection.execute(delete(_TABLE).where(_TABLE.c.updated_at < now - KEPT_FOR))
        connection.execute(
            insert(_TABLE).values(token_hash=token_hash, answers=answers, updated_at=now)
        )


def discard(session: Session, token: str | None) -> None:
    if token:
        session.connection().execute(delete(_TABLE).where(_TABLE.c.token_hash == _hash(token)))


@contextmanager
def statement_by_statement(session: Session, *, wanted: bool = True) -> Iterator[None]:
    """Each statement its own transaction, for a request that reads and writes one draft and
    nothing else (a question and its answer): no BEGIN, COMMIT or ROLLBACK goes to the
    database, two of a question's four round trips and two of an answer's five (issue 15).
    A SELECT then an UPDATE were never one atomic step (no row is locked), so nothing a child
    typed depends on the transaction. When the session has begun one already, or works on a
    connection someone else holds in a transaction (the tests' own), it is left as it is;
    afterwards the connection goes back as it came (nothing to roll back: no round trip), so
    whatever runs next has its transaction again.

    PostgreSQL only: SQLite has no round trips to save, and its connections must stay as
    app/extensions.py makes them (SQLAlchemy begins each transaction; pysqlite's own mode,
    which SQLAlchemy restores after AUTOCOMMIT, would let a savepoint commit for real)."""
    bind = session.get_bind()
    alone = isinstance(bind, Engine) and bind.dialect.name == "postgresql"
    if not wanted or not alone or session.in_transaction():
        yield
        return
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    try:
        yield
    finally:
        session.rollback()
