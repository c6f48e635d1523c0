"""Messages being written: kept between pages on the server, found by a token in the session.

So the journey works without JavaScript and nothing the child types sits in a cookie. A draft
goes when the message is sent, at the quick exit, and a week after it was last touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

import psycopg
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    bindparam,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError
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


class _Direct:
    """A draft read or written statement by statement on PostgreSQL, handed to psycopg
    itself: SQLAlchemy's execution around each statement (its context, its result) cost more
    CPU than psycopg's whole round trip, about 60 us a read and 40 a write (issue 15). The
    same SQL as the statements above, compiled once; the values through the columns' own
    types, so the encryption stays in EncryptedJSON; psycopg's errors raised as SQLAlchemy
    raises them, the connection dropped when it is gone (app/child/outage.py answers them)."""

    def __init__(self, dialect: Any) -> None:
        self.sql = {statement: str(statement.compile(dialect=dialect)) for statement in _DIRECT}
        self.dialect = dialect
        answers, moment = _TABLE.c.answers.type, _TABLE.c.updated_at.type
        self.encrypt = answers.bind_processor(dialect) or _as_is
        self.decrypt = answers.result_processor(dialect, None) or _as_is
        self.moment = moment.bind_processor(dialect) or _as_is

    def run(self, connection: Connection, statement: Any, values: dict[str, Any]) -> Any:
        """The statement on `connection`, and once more on a new one if the first was gone.
        Its connections are lent without a ping (statement_by_statement), so the first
        statement after PostgreSQL closed them (a restart, a failover, an idle timeout) is
        what finds it out: every one the pool holds is as dead, so the pool starts afresh.
        Each statement here is as good run twice as once (a read, or setting the answers and
        the time to the same values), and was not run at all when the connection was gone
        before it was sent; a database still unreachable then fails as before."""
        try:
            return self._once(connection, statement, values)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        connection.engine.dispose()
        return self._once(connection, statement, values)

    def _once(self, connection: Connection, statement: Any, values: dict[str, Any]) -> Any:
        held = connection.connection.dbapi_connection
        sql = self.sql[statement]
        try:
            return held.execute(sql, values)  # type: ignore[union-attr]
        except psycopg.Error as error:
            gone = self.dialect.is_disconnect(error, held, None)
            if gone:
                connection.invalidate(error)
            raise DBAPIError.instance(
                sql, values, error, psycopg.Error, connection_invalidated=gone, dialect=self.dialect
            ) from error

    def read(self, connection: Connection, token_hash: str) -> Any:
        row = self.run(connection, _READ, {"hash": token_hash}).fetchone()
        return None if row is None else self.decrypt(row[0])

    def write(self, connection: Connection, values: dict[str, Any], unchanged: bool) -> int:
        bound = {"hash": values["hash"], "now": self.moment(values["now"])}
        if not unchanged:
            bound["kept"] = self.encrypt(values["kept"])
        return int(self.run(connection, _TOUCH if unchanged else _WRITE, bound).rowcount)


def _as_is(value: Any) -> Any:
    return value


_DIRECT = (_READ, _WRITE, _TOUCH)
_DIRECTS: dict[Any, _Direct] = {}


def _direct() -> tuple[Connection, _Direct] | None:
    """The connection a question or an answer works on alone, and how to run the draft's
    statements straight on it, when it is PostgreSQL's through psycopg."""
    connection = _ALONE.get()
    if connection is None or connection.dialect.driver != "psycopg":
        return None
    dialect = connection.dialect
    found = _DIRECTS.get(dialect)
    if found is None:
        found = _DIRECTS[dialect] = _Direct(dialect)
    return connection, found


def load(session: Session, token: str | None) -> dict[str, Any]:
    if not token:
        return {}
    direct = _direct()
    if direct is not None:
        answers = direct[1].read(direct[0], _hash(token))
    else:
        found = _connection(session).execute(_READ, {"hash": _hash(token)})
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
    found = {"hash": _hash(token), "kept": answers, "now": now}
    connection = _connection(session)
    direct = _direct()
    if direct is not None:
        changed = direct[1].write(connection, found, unchanged)
    else:
        changed = connection.execute(_TOUCH if unchanged else _WRITE, found).rowcount
    if changed == 0:
        connection.execute(_FORGET_OLD, {"before": now - KEPT_FOR})
        connection.execute(_BEGIN, found)


def discard(session: Session, token: str | None) -> None:
    if token:
        _connection(session).execute(_DISCARD, {"hash": _hash(token)})


# The engines lending a question's and an answer's connections, one beside each app engine.
_UNPINGED: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()
_UNPINGED_MADE = threading.Lock()


def _unpinged(bind: Engine) -> Engine:
    """An engine beside `bind`, to the same database, whose pool lends its connections in
    AUTOCOMMIT and without the ping the app's engine sends before each (pool_pre_ping,
    app/config.py): the ping was a round trip and about 115 us of CPU of every question and
    answer (issue 15), and _Direct.run finds a closed connection and replaces it instead.
    Disposed with `bind` (tests drop their databases; gunicorn's master never connects)."""
    found = _UNPINGED.get(bind)
    if found is not None:
        return found
    with _UNPINGED_MADE:
        found = _UNPINGED.get(bind)
        if found is None:
            made = create_engine(bind.url, pool_pre_ping=False, isolation_level="AUTOCOMMIT")
            event.listen(bind, "engine_disposed", lambda _bind: made.dispose())
            found = _UNPINGED[bind] = made
    return found


@contextmanager
def statement_by_statement(session: Session, *, wanted: bool = True) -> Iterator[None]:
    """Each statement its own transaction, for a request that reads and writes one draft and
    nothing else (a question and its answer): no BEGIN, COMMIT or ROLLBACK goes to the
    database, two of a question's four round trips and two of an answer's five (issue 15).
    A SELECT then an UPDATE were never one atomic step (no row is locked), so nothing a child
    typed depends on the transaction. The draft's statements then run on a connection of
    their own in AUTOCOMMIT, not the session's, lent without a ping (`_unpinged`); when the
    session has begun a transaction already, or works on a connection someone else holds in
    one (the tests' own), they run in it as before.

    PostgreSQL through psycopg only (_Direct): SQLite has no round trips to save, and its
    connections must stay as app/extensions.py makes them (SQLAlchemy begins each
    transaction; pysqlite's own mode would let a savepoint commit for real)."""
    bind = session.get_bind()
    if (
        not wanted
        or not isinstance(bind, Engine)
        or bind.dialect.name != "postgresql"
        or bind.dialect.driver != "psycopg"
        or session.in_transaction()
    ):
        yield
        return
    # A connection of its own, not the session's: beginning the session's transaction and
    # rolling it back cost about 50 us more of CPU than this (issue 15).
    with _unpinged(bind).connect() as connection:
        held = _ALONE.set(connection)
        try:
            yield
        finally:
            _ALONE.reset(held)
