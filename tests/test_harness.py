"""The harness itself: one app per database, and nothing a test does reaches the next test.

The tests named `..._first` and `..._second` run in that order (pytest keeps a file's order).
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask, g
from sqlalchemy import func, select

from app.extensions import db, limiter
from app.models import Contact
from tests.helpers import make_contact

MONDAY = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
SHARED: dict[str, Flask] = {}


def contacts_now() -> int:
    return db.session.scalar(select(func.count()).select_from(Contact)) or 0


def test_what_a_test_changes_is_undone_first(app: Flask, database_url: str) -> None:
    SHARED[database_url] = app
    make_contact()  # committed, as a view commits
    assert contacts_now() == 1
    app.config["FIXED_NOW"] = MONDAY
    app.config["LANGUAGES"].append("xx")
    limiter.storage.incr("harness", 60)
    g.left_behind = True


def test_what_a_test_changes_is_undone_second(app: Flask, database_url: str) -> None:
    assert SHARED[database_url] is app, "one app per database for the whole session"
    assert contacts_now() == 0
    assert "FIXED_NOW" not in app.config
    assert "xx" not in app.config["LANGUAGES"]
    assert limiter.storage.get("harness") == 0
    assert "left_behind" not in g


def test_a_rollback_in_a_view_keeps_what_was_committed_before(app: Flask) -> None:
    make_contact()
    db.session.rollback()  # as a view does when the rules refuse
    assert contacts_now() == 1


def test_a_second_connection_is_refused(app: Flask) -> None:
    with pytest.raises(AssertionError, match="second database connection"):
        db.engine.connect()


@pytest.mark.commits
def test_a_test_marked_commits_commits_for_real(app: Flask) -> None:
    make_contact()
    with db.engine.connect() as other:
        assert other.scalar(select(func.count()).select_from(Contact)) == 1


def test_page_apps_are_the_sqlite_app(page_app: Flask, sqlite_app: Flask) -> None:
    assert page_app is sqlite_app
    assert db.engine.dialect.name == "sqlite"
