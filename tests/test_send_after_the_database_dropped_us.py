"""A send is never lost because PostgreSQL closed the app's connections while the child was
writing (a restart, a failover, an idle timeout): the pool checks a connection before it
lends it (`pool_pre_ping`, app/config.py) and opens a new one in its place. A question and an
answer, whose check cost a round trip and about 115 us of CPU each (issue 15), find it out
with the draft's own statement instead, and run it again on a new connection (app/drafts.py)."""

from __future__ import annotations

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Contact
from tests.helpers import choose
from tests.journey import answer, fill_in, reference_on, send, send_form


def close_the_apps_connections() -> int:
    """Every connection to the app's database ended by the server, as a restart would."""
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    return int(ended[0]) if ended else 0


@pytest.mark.commits
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_send_after_postgresql_closed_the_connection_is_kept(
    app: Flask, client: FlaskClient
) -> None:
    choose(client, "10_plus")
    fill_in(client)
    form = send_form(client)
    db.session.remove()  # as the end of the request does (here the test's app context holds it)
    assert close_the_apps_connections() >= 1  # the pool held the connection the steps used
    assert send(client, form).status_code == 303
    reference = reference_on(client.get("/tell-us/sent"))
    db.session.remove()
    assert db.session.scalar(select(Contact.id).where(Contact.reference == reference))


@pytest.mark.commits
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_question_and_its_answer_after_postgresql_closed_the_connections_are_kept(
    app: Flask, client: FlaskClient
) -> None:
    """A question and an answer borrow a connection with no ping before it (app/drafts.py):
    the draft's own statement finds it closed and runs again on a new one, so the child sees
    the question, and the answer is kept, not the outage page."""
    choose(client, "10_plus")
    fill_in(client)
    db.session.remove()
    assert close_the_apps_connections() >= 1  # the answers' connection among them
    assert client.get("/tell-us/words").status_code == 200
    changed = "I changed my words after the server restarted."
    assert answer(client, "words", words=changed).status_code == 303
    assert close_the_apps_connections() >= 1
    assert changed in client.get("/tell-us/check").get_data(as_text=True)
