"""Messages being written (app/drafts.py), read and written as rows: every answer kept as it
was given, an answer given again only touches the draft, and a changed one is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from psycopg import sql
from sqlalchemy import event, func, select, text

from app import drafts
from app.extensions import db
from app.models import Contact, Draft
from tests import journey
from tests.helpers import choose
from tests.test_send_after_the_database_dropped_us import close_the_apps_connections

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
WORDS = 'I <3 my carer & "she" listens\u2026 5 > 3'


def touched(token: str) -> dt.datetime | None:
    found = db.session.scalar(
        select(Draft.updated_at).where(Draft.token_hash == drafts._hash(token))
    )
    db.session.rollback()
    return found


def test_a_draft_keeps_every_answer_as_given(app: Flask) -> None:
    answers = {"kind": "praise", "promises": ["a", "other"], "words": WORDS, "urgent": False}
    drafts.save(db.session(), "token", answers, NOW)
    db.session.commit()
    assert drafts.load(db.session(), "token") == answers
    assert drafts.load(db.session(), "another") == {}
    assert drafts.load(db.session(), None) == {}
    changed = {**answers, "name": "Jo"}
    drafts.save(db.session(), "token", changed, NOW + dt.timedelta(minutes=1))
    db.session.commit()
    assert drafts.load(db.session(), "token") == changed
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 1


def test_an_unchanged_draft_is_only_touched(app: Flask) -> None:
    answers = {"kind": "not_kept", "words": WORDS}
    drafts.save(db.session(), "token", answers, NOW)
    db.session.commit()
    later = NOW + dt.timedelta(days=3)
    drafts.save(db.session(), "token", drafts.load(db.session(), "token"), later, unchanged=True)
    db.session.commit()
    assert drafts.load(db.session(), "token") == answers
    assert touched("token") == later  # kept another week from now


def test_an_unchanged_draft_that_went_meanwhile_is_made_again_whole(app: Flask) -> None:
    """Read, then discarded by another request (the quick exit on another tab): saving what
    was read writes every answer, not just the time."""
    answers = {"kind": "kept_well", "words": WORDS}
    drafts.save(db.session(), "token", answers, NOW)
    db.session.commit()
    read = drafts.load(db.session(), "token")
    drafts.discard(db.session(), "token")
    drafts.save(db.session(), "token", read, NOW, unchanged=True)
    db.session.commit()
    assert drafts.load(db.session(), "token") == answers


def test_an_answer_given_again_touches_and_a_new_one_is_kept(
    app: Flask, client: FlaskClient
) -> None:
    """Through the pages: the same answer twice (back, then Continue) keeps the draft as it
    was and moves its time; another answer after that is the one kept."""
    choose(client, "10_plus")
    app.config["FIXED_NOW"] = NOW
    journey.fill_in(client, words={"words": WORDS})
    with client.session_transaction() as session:
        token = session["draft"]["token"]
    before = drafts.load(db.session(), token)
    db.session.rollback()
    assert before["how"] == "phone" and before["words"] == WORDS
    app.config["FIXED_NOW"] = later = NOW + dt.timedelta(days=2)
    assert journey.answer(client, "how", how="phone").status_code == 303
    assert drafts.load(db.session(), token) == before
    db.session.rollback()
    assert touched(token) == later
    assert journey.answer(client, "how", how="text").status_code == 303
    after = drafts.load(db.session(), token)
    db.session.rollback()
    assert after["how"] == "text" and after["words"] == WORDS
    assert "leave_message" not in after  # asked only after a phone call: dropped with it
    assert {k: v for k, v in after.items() if k not in ("how", "leave_message")} == {
        k: v for k, v in before.items() if k not in ("how", "leave_message")
    }


@pytest.mark.commits
def test_a_question_and_its_answer_run_statement_by_statement(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the app's own engine, as in production: on PostgreSQL every question's draft is
    read, and every answer written, with no transaction around it; on both, every answer
    lands as typed, and each connection goes back to the pool as it came, so the send's
    transaction and savepoint work after it."""
    ran: list[tuple[str, Any]] = []

    def note(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if " draft" in statement:
            ran.append((statement.split()[0], conn.get_execution_options().get("isolation_level")))

    # On PostgreSQL a question's read and an answer's write go to psycopg itself, past
    # SQLAlchemy's events: noted there, by what psycopg's own connection is doing.
    direct = drafts._Direct.run
    straight: list[Any] = []

    def noted(self: Any, connection: Any, statement: Any, values: Any) -> Any:
        held = connection.connection.dbapi_connection
        level = "AUTOCOMMIT" if held.autocommit else None
        ran.append((self.sql[statement].split()[0], level))
        straight.append(statement)
        return direct(self, connection, statement, values)

    client = app.test_client()
    choose(client, "10_plus")
    event.listen(db.engine, "before_cursor_execute", note)
    monkeypatch.setattr(drafts._Direct, "run", noted)
    try:
        journey.fill_in(client, words={"words": WORDS})
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
        monkeypatch.undo()
    kinds = {kind for kind, _ in ran}
    assert {"SELECT", "UPDATE"} <= kinds, kinds
    # The first answer makes the draft in a transaction; on PostgreSQL every read and write
    # after that runs on its own (SQLite, with no round trips to save, as before).
    begun = [kind for kind, _ in ran].index("INSERT") + 1
    alone = db.engine.dialect.name == "postgresql"
    assert bool(straight) is alone  # psycopg itself ran them
    assert all((level == "AUTOCOMMIT") is alone for _, level in ran[begun:]), ran
    with client.session_transaction() as session:
        token = session["draft"]["token"]
    assert drafts.load(db.session(), token)["words"] == WORDS
    db.session.remove()
    pooled = [db.engine.connect() for _ in range(db.engine.pool.checkedin())]  # type: ignore[attr-defined]
    try:
        for connection in pooled:
            held = connection.connection.dbapi_connection
            if connection.dialect.name == "sqlite":
                # As app/extensions.py made it: SQLAlchemy begins every transaction itself.
                assert held.isolation_level is None  # type: ignore[union-attr]
            else:
                assert held.autocommit is False  # type: ignore[union-attr]
    finally:
        for connection in pooled:
            connection.close()
    reference = journey.reference_on(client.get(journey.send(client).headers["Location"]))
    sent = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert sent is not None and sent.message["words"] == WORDS
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def _end_backend(pid: int) -> None:
    with db.engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


@pytest.mark.commits
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_draft_read_on_a_connection_the_database_dropped_is_read_on_a_new_one(
    app: Flask,
) -> None:
    """Its connections are lent without a ping, so a connection PostgreSQL ended (a restart)
    is found by the draft's own statement, which runs again on a new connection: the child's
    question is answered, not the outage page."""
    with app.test_request_context("/tell-us/what"):
        drafts.save(db.session(), "token", {"kind": "praise"}, NOW)
        db.session.commit()
        with drafts.statement_by_statement(db.session()):
            assert drafts.load(db.session(), "token") == {"kind": "praise"}
            connection = drafts._ALONE.get()
            assert connection is not None
            ended = connection.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
            _end_backend(ended)
            assert drafts.load(db.session(), "token") == {"kind": "praise"}
            now_on = connection.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
            assert now_on != ended
        drafts.discard(db.session(), "token")
        db.session.commit()


def _allow_connections(name: str | None, allowed: bool) -> None:
    """The app's database taking new connections or not (said from another database: one
    cannot refuse its own)."""
    elsewhere = db.engine.url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(elsewhere.render_as_string(hide_password=False), autocommit=True) as admin:
        admin.execute(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}").format(
                sql.Identifier(name or ""), sql.SQL("true" if allowed else "false")
            )
        )


@pytest.mark.commits
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_question_while_the_database_stays_away_is_the_outage_page_then_the_question(
    app: Flask,
) -> None:
    """Tried once more, not for ever: with the connection ended and the database refusing
    new ones too, the question is the outage page (503, its kind words), and once the
    database is back the same question shows the child's answer again."""
    client = app.test_client()
    choose(client, "10_plus")
    journey.fill_in(client, words={"words": WORDS})
    db.session.remove()
    name = db.engine.url.database
    engine = drafts._unpinged(db.engine)
    assert engine.pool.checkedin() >= 1  # type: ignore[attr-defined]  # the answers' connection
    assert close_the_apps_connections() >= 1
    _allow_connections(name, False)
    try:
        down = client.get("/tell-us/words")
        assert down.status_code == 503, down.status_code
    finally:
        _allow_connections(name, True)
    back = client.get("/tell-us/words")
    assert back.status_code == 200
    assert escape(WORDS) in back.get_data(as_text=True)
