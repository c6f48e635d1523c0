"""Fixtures for every test: the app on each database, and a client that checks house rules."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine

from app import create_app
from app.extensions import db
from tests.databases import Postgres, find_postgres
from tests.helpers import migrate, settings_for
from tests.house_rules import broken_rules

os.environ.setdefault("OUR_PROMISE_ENV", "testing")

_stack = ExitStack()
POSTGRES: Postgres | None = None


def pytest_configure(config: pytest.Config) -> None:
    global POSTGRES
    POSTGRES = _stack.enter_context(find_postgres())
    if POSTGRES is None and os.environ.get("CI"):
        raise pytest.UsageError("CI must test PostgreSQL too, and no PostgreSQL was found")


def pytest_unconfigure(config: pytest.Config) -> None:
    _stack.close()


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES is None:
        return "databases: SQLite ONLY. No PostgreSQL was found: set TEST_DATABASE_URL to test it."
    return f"databases: SQLite and PostgreSQL ({POSTGRES.where})"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if POSTGRES is None:
        terminalreporter.write_sep("!", "NOTICE: PostgreSQL was not tested; SQLite only", red=True)


DATABASES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=DATABASES)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database of each kind, made once per test session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
        migrate(url)
        yield url
        return
    if POSTGRES is None:
        pytest.skip("no PostgreSQL on this machine (see the notice in the report)")
    with POSTGRES.fresh_database() as url:
        migrate(url)
        yield url


class HouseRulesClient(FlaskClient):
    """A test client that checks the house rules on every HTML page it fetches."""

    expect_lang = "en"
    expect_dir = "ltr"

    def open(self, *args: Any, **kwargs: Any) -> Any:
        # A request inside a test runs in the test's app context; give it a fresh `g`, as a
        # real request has, so nothing (such as the CSRF token) leaks from one client to another.
        outer = _cv_app.get(None)
        saved = outer.g if outer is not None else None
        if outer is not None:
            outer.g = outer.app.app_ctx_globals_class()
        try:
            response = super().open(*args, **kwargs)
        finally:
            if outer is not None:
                outer.g = saved
        if response.mimetype == "text/html" and response.status_code < 300:
            problems = broken_rules(
                response.get_data(as_text=True),
                lang=self.expect_lang,
                direction=self.expect_dir,
                fragment="HX-Request" in response.request.headers,
            )
            assert not problems, f"{response.request.path}: " + "; ".join(problems)
        return response


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app(settings_for(database_url))
    app.test_client_class = HouseRulesClient
    with app.app_context():
        yield app
        db.session.remove()
        # Leave the shared database empty for the next test.
        engine = create_engine(database_url)
        with engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        engine.dispose()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
