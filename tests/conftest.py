"""Fixtures for every test: one app per database, each test in its own rolled-back transaction,
and a client that checks the house rules.

`app` and `client` run a test on SQLite and on PostgreSQL. The app is made once per database
for the whole session; each test runs on one connection in a transaction that is rolled back
after it, and the app's `db.session` joins that transaction with a SAVEPOINT, so a commit in
the test or in a view only releases the savepoint. Opening any other connection during such a
test is an error: what it read would not be what the test wrote. A test that needs its commits
seen by other connections (threads, migrations) says so with `@pytest.mark.commits`; it runs
without the transaction and the tables are emptied after it, as they were for every test once.

`page_app` and `page_client` are for tests that only render pages, or need the app but none of
its data: they run once, on SQLite, and fail if the test leaves anything in the database.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app, kept_parts
from app.child import kept_pages, tell_us_kept
from app.extensions import db, limiter
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


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite database, made once per test session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
    migrate(url)
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database, made once per test session and dropped after."""
    if POSTGRES is None:
        pytest.skip("no PostgreSQL on this machine (see the notice in the report)")
    with POSTGRES.fresh_database() as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request: pytest.FixtureRequest) -> str:
    """Each kind of database in turn."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


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


class JoinedSession(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session, on the test's own connection when it is given one.

    Flask-SQLAlchemy 3 picks the app's engine before it looks at the session's own bind.
    """

    def get_bind(
        self,
        mapper: Any | None = None,
        clause: Any | None = None,
        bind: Engine | Connection | None = None,
        **kwargs: Any,
    ) -> Engine | Connection:
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


class _OneConnection:
    """While a test runs in its transaction, no other connection may be opened."""

    held = False

    @classmethod
    def on_checkout(cls, *_: Any) -> None:
        if cls.held:
            raise AssertionError(
                "this test opened a second database connection, which cannot see what the "
                "test's own transaction wrote: use db.session, or mark the test "
                "@pytest.mark.commits if it needs commits seen by other connections"
            )


def _session_app(url: str) -> Iterator[Flask]:
    app = create_app(settings_for(url))
    app.test_client_class = HouseRulesClient
    with app.app_context():
        engine = db.engine
    # (On SQLite, app/extensions.py makes SQLAlchemy, not pysqlite, begin transactions, so a
    # test's savepoints nest inside its rolled-back transaction as they would in production.)
    event.listen(engine, "checkout", _OneConnection.on_checkout)
    app.extensions["pristine_config"] = copy.deepcopy(dict(app.config))
    yield app
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_app(sqlite_url: str) -> Iterator[Flask]:
    yield from _session_app(sqlite_url)


@pytest.fixture(scope="session")
def postgresql_app(postgresql_url: str) -> Iterator[Flask]:
    yield from _session_app(postgresql_url)


@contextmanager
def _rolled_back() -> Iterator[None]:
    """The test on one connection, in a transaction rolled back after it."""
    connection = db.engine.connect()
    outer = connection.begin()
    app_session = db.session
    db.session = scoped_session(
        sessionmaker(
            class_=JoinedSession,
            db=db,
            bind=connection,
            join_transaction_mode="create_savepoint",
        ),
        scopefunc=_app_ctx_id,
    )
    _OneConnection.held = True
    try:
        yield
    finally:
        _OneConnection.held = False
        db.session.remove()
        db.session = app_session
        outer.rollback()
        connection.close()


def _empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
    db.engine.dispose()  # nothing a test that committed for real did lingers in the pool


@contextmanager
def _isolated(app: Flask, request: pytest.FixtureRequest) -> Iterator[None]:
    """One test's run of a shared app: its own config, rate limits, app context and data."""
    app.config.clear()
    app.config.update(copy.deepcopy(app.extensions["pristine_config"]))
    limiter.reset()
    kept_pages.forget(app)
    kept_parts.forget(app)
    tell_us_kept.forget(app)
    logger_disabled = app.logger.disabled
    try:
        with app.app_context():
            if request.node.get_closest_marker("commits"):
                try:
                    yield
                finally:
                    _empty_tables()
            else:
                with _rolled_back():
                    yield
    finally:
        app.logger.disabled = logger_disabled
        HouseRulesClient.expect_lang, HouseRulesClient.expect_dir = "en", "ltr"


@pytest.fixture
def app(request: pytest.FixtureRequest, database_url: str) -> Iterator[Flask]:
    """The app on each database in turn, in the test's own transaction."""
    shared: Flask = request.getfixturevalue(
        "sqlite_app" if database_url.startswith("sqlite") else "postgresql_app"
    )
    with _isolated(shared, request):
        yield shared


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def page_app(request: pytest.FixtureRequest, sqlite_app: Flask) -> Iterator[Flask]:
    """The app for a test that only renders pages: once, on SQLite, and it must write nothing."""
    with _isolated(sqlite_app, request):
        yield sqlite_app
        written = {
            table.name: count
            for table in db.metadata.sorted_tables
            if (count := db.session.scalar(select(func.count()).select_from(table)))
        }
        assert not written, f"a page-only test wrote to the database {written}: use `client`"


@pytest.fixture
def page_client(page_app: Flask) -> FlaskClient:
    return page_app.test_client()
