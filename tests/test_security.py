"""Secure from the first line: headers, cookies, no secrets by default, a health check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import Headers
from werkzeug.test import TestResponse

from app import create_app
from app.config import ConfigError, settings
from app.extensions import db
from tests.helpers import COUNCIL, PRODUCTION_ENV, choose, csrf_token, settings_for

STORIES = [f"/promises/story/{character.key}" for character in COUNCIL.characters[:1]]


@pytest.mark.parametrize("url", ["/", *STORIES, "/healthz", "/no-such-page"])
def test_security_headers_on_every_response(page_client: FlaskClient, url: str) -> None:
    headers = page_client.get(url).headers
    policy = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    sources = {word for part in policy.split(";") for word in part.split()[1:]}
    assert sources <= {"'self'", "'none'"}, sources  # nothing from anywhere else
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    permissions = headers["Permissions-Policy"]
    for feature in ("geolocation=()", "camera=()", "microphone=()"):
        assert feature in permissions


def test_static_files_are_our_own_and_long_cached(page_client: FlaskClient) -> None:
    with page_client.get("/") as page:
        css = next(
            line.split('href="')[1].split('"')[0]
            for line in page.get_data(as_text=True).splitlines()
            if "stylesheet" in line
        )
    assert css.startswith("/static/css/app.css?v=")
    with page_client.get(css) as response:
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "Access-Control-Allow-Origin" not in response.headers


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "X-Frame-Options",
)
FILE_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Resource-Policy",
)


SHEET_HEADERS = ("X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Resource-Policy")


@pytest.mark.parametrize(
    "path",
    ["/static/vendor/openmoji/1F198.svg", "/static/img/stars.svg", "/static/js/sw.js"],
)
def test_static_files_carry_the_security_headers_that_protect_a_file(
    page_client: FlaskClient, path: str
) -> None:
    """WhiteNoise answers before Flask, so Flask's after_request never sees these files. A file
    carries the page's policy (an SVG opened on its own is a document; the worker's script
    gives the worker its policy), nosniff, no referrer and same-origin; not the headers that
    only govern a page's own window."""
    page = page_client.get("/").headers
    with page_client.get(path) as response:
        _served_with_only(response, page, FILE_HEADERS)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in response.headers  # plain http locally


def _served_with_only(response: TestResponse, page: Headers, names: tuple[str, ...]) -> None:
    """A static file WhiteNoise served, with these of the page's headers and no other."""
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]  # WhiteNoise served it
    for name in names:
        assert response.headers.get(name) == page[name], name
    for name in {*SECURITY_HEADERS, "Strict-Transport-Security"} - set(names):
        assert name not in response.headers, name


@pytest.mark.parametrize(
    "path", ["/static/css/app.css", "/static/js/app.js", "/static/vendor/htmx/htmx.min.js"]
)
@pytest.mark.parametrize("secure", [False, True])
def test_style_sheets_and_scripts_carry_only_what_means_something_for_them(
    database_url: str, path: str, secure: bool
) -> None:
    """A style sheet or a page's script is never a document nor a worker: nosniff, no referrer
    (a sheet's own fetches follow it) and same-origin, as the page; not the policy, nor HSTS
    (the page says https), nor the page's window headers: 190 bytes on each (issue 15)."""
    app = create_app(settings_for(database_url, SECURE=secure))
    client = app.test_client()
    page = client.get("/").headers
    with client.get(path) as response:
        _served_with_only(response, page, SHEET_HEADERS)
    assert ("Strict-Transport-Security" in page) is secure


def _first(html: str, pattern: str) -> str:
    found = re.search(pattern, html)
    assert found, pattern
    return found.group(0).replace("&amp;", "&")


@pytest.mark.parametrize("secure", [False, True])
def test_files_flask_makes_carry_the_headers_of_their_kind(database_url: str, secure: bool) -> None:
    """look.css, a symbol sheet, the manifest and the worker are made by Flask, so its hook adds
    their headers: each the same set as a static file of its kind (app/static_files.py), not a
    page's. A page keeps its whole set."""
    app = create_app(settings_for(database_url, SECURE=secure))
    client = app.test_client()
    choose(client, "5_to_9", symbols=True)
    page = client.get("/promises")
    html = page.get_data(as_text=True)
    for name in (*SECURITY_HEADERS, "Cache-Control"):
        assert name in page.headers, name
    assert ("Strict-Transport-Security" in page.headers) is secure
    with client.get("/static/img/stars.svg") as svg, client.get("/static/css/app.css") as css:
        static_file, static_sheet = dict(svg.headers), dict(css.headers)
    kinds = {
        _first(html, r"/look\.css\?v=[0-9a-f]+"): static_sheet,
        _first(html, r"/symbols/[0-9A-F_-]+\.svg\?v=[0-9a-f]+"): static_file,
        "/manifest.webmanifest": static_file,
        "/sw.js": static_file,
    }
    for url, like in kinds.items():
        with client.get(url) as response:
            assert response.status_code == 200, url
            for name in (*SECURITY_HEADERS, "Strict-Transport-Security"):
                assert response.headers.get(name) == like.get(name), (url, name)


def test_session_cookie_is_httponly_and_samesite_locally(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    cookie = page_client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure  # plain http on a developer's own machine


def test_production_cookies_are_secure_and_host_only(sqlite_url: str) -> None:
    app = create_app(
        settings_for(
            sqlite_url,
            SECURE=True,
            SESSION_COOKIE_SECURE=True,
            SESSION_COOKIE_NAME="__Host-session",
        )
    )
    client = app.test_client()
    choose(client, "10_plus")
    cookie = client.get_cookie("__Host-session")
    assert cookie is not None and cookie.secure and cookie.http_only and cookie.path == "/"
    assert (
        "max-age=31536000; includeSubDomains"
        in client.get("/").headers["Strict-Transport-Security"]
    )


def test_production_forms_work_over_https_without_a_referrer(sqlite_url: str) -> None:
    """Our pages tell browsers to send no Referer, so a form must not need one on https."""
    app = create_app(settings_for(sqlite_url, SECURE=True, SESSION_COOKIE_SECURE=True))
    client = app.test_client()
    https = "https://promise.council.example"
    page = client.get("/choose", base_url=https)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    token = csrf_token(page.get_data(as_text=True))
    response = client.post(
        "/choose",
        base_url=https,
        data={"csrf_token": token, "age": "10_plus", "symbols": "no", "next": "/promises"},
    )
    assert response.status_code == 303, response.status_code
    assert "Referer" not in response.request.headers


def test_production_settings_are_secure(tmp_path: Path) -> None:
    config = settings(tmp_path, PRODUCTION_ENV)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.parametrize("secret", [None, "", "short"])
def test_production_refuses_to_start_without_its_own_secret(
    tmp_path: Path, secret: str | None
) -> None:
    environ = {name: value for name, value in PRODUCTION_ENV.items() if name != "SECRET_KEY"}
    if secret is not None:
        environ["SECRET_KEY"] = secret
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        settings(tmp_path, environ)
    assert not (tmp_path / "secret_key").exists()


def test_local_secret_is_generated_into_instance_once(tmp_path: Path) -> None:
    first = settings(tmp_path, {})["SECRET_KEY"]
    assert len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only
    assert settings(tmp_path, {})["SECRET_KEY"] == first
    assert settings(tmp_path / "other", {})["SECRET_KEY"] != first


def test_the_database_defaults_to_sqlite_under_instance(tmp_path: Path) -> None:
    assert settings(tmp_path, {})["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{tmp_path / 'our-promise.sqlite3'}"
    )
    url = "postgresql+psycopg://someone@db/promise"
    assert settings(tmp_path, {"DATABASE_URL": url})["SQLALCHEMY_DATABASE_URI"] == url


def test_no_secret_is_committed() -> None:
    root = Path(__file__).parent.parent
    ignored = (root / ".gitignore").read_text()
    assert "instance/" in ignored


def test_healthz_checks_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_says_when_the_database_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1"
    app = create_app(settings_for(unreachable))
    monkeypatch.setattr(app.logger, "disabled", True)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unreachable"}


def test_healthz_remembers_a_good_answer_for_a_second_and_never_a_failure(
    page_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import health

    page_app.extensions.pop("database_answered_at", None)  # another test's answer
    clock = [1000.0]
    asked: list[int] = []
    monkeypatch.setattr(health.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(page_app.logger, "disabled", True)
    client = page_app.test_client()
    assert client.get("/healthz").status_code == 200

    def gone(*args: object, **kwargs: object) -> None:
        asked.append(1)
        raise OperationalError("SELECT 1", {}, Exception("the database went away"))

    monkeypatch.setattr(health.db.session, "execute", gone)
    clock[0] += 0.5
    assert client.get("/healthz").status_code == 200  # it answered half a second ago
    assert asked == []
    clock[0] += 0.6
    assert client.get("/healthz").status_code == 503  # asked again: it is down
    assert client.get("/healthz").status_code == 503  # a failure is never remembered
    assert len(asked) == 2


@pytest.mark.parametrize("reachable", [True, False])
def test_healthz_carries_every_pages_security_headers_and_is_never_stored(
    database_url: str, monkeypatch: pytest.MonkeyPatch, reachable: bool
) -> None:
    """/healthz is answered before Flask (app/health.py), so no after_request adds its headers:
    it must carry what any other response of the app does, up or down, HSTS included on https."""
    url = (
        database_url
        if reachable
        else "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1"
    )
    app = create_app(settings_for(url, SECURE=True))
    monkeypatch.setattr(app.logger, "disabled", True)
    client = app.test_client()
    page = client.get("/no-such-page").headers  # an answer Flask made, with its hooks
    for method in (client.get, client.head):
        response = method("/healthz")
        assert response.status_code == (200 if reachable else 503)
        assert response.headers["Cache-Control"] == "no-store"
        assert response.mimetype == "application/json"
        for name in (*SECURITY_HEADERS, "Strict-Transport-Security"):
            assert response.headers.get(name) == page[name], name
    assert client.head("/healthz").get_data() == b""
    with app.app_context():
        db.engine.dispose()  # its own app's connections, closed before the next test


def test_a_broken_page_shows_a_kind_page_not_a_trace(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(settings_for(sqlite_url))  # its own app: it adds a route
    monkeypatch.setattr(app.logger, "disabled", True)

    @app.get("/broken-for-test")
    def broken() -> str:
        raise RuntimeError("secret detail")

    response = app.test_client().get("/broken-for-test")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Sorry, something went wrong" in text and "secret detail" not in text


@pytest.mark.commits  # its own app (it adds a route), on its own connections
def test_a_failed_statement_still_gets_the_whole_kind_page(app: object, database_url: str) -> None:
    """On PostgreSQL a failed statement aborts the transaction; the error page must not need
    it (the staff layout reads the signed-in person's name, which a commit had expired)."""
    from flask import g
    from sqlalchemy import text

    from app.models import StaffUser
    from tests.staff_helpers import make_staff

    own = create_app(settings_for(database_url))
    own.logger.disabled = True
    with own.app_context():
        user_id = make_staff("head_of_service", name="Sam Broken").id

        @own.get("/staff/broken-statement-for-test")
        def broken() -> str:
            g.staff = db.session.get(StaffUser, user_id)
            db.session.commit()  # as load_staff leaves it: every attribute expired
            db.session.execute(text("SELECT * FROM no_such_table"))
            return "unreachable"

        response = own.test_client().get("/staff/broken-statement-for-test")
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 500
    text_shown = response.get_data(as_text=True)
    assert "Sorry, something went wrong" in text_shown and "Sam Broken" in text_shown


def test_production_refuses_to_start_without_an_encryption_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ENCRYPTION_KEYS"):
        settings(tmp_path, {**PRODUCTION_ENV, "ENCRYPTION_KEYS": ""})
    assert not (tmp_path / "encryption_key").exists()


def test_local_encryption_key_is_generated_into_instance_once(tmp_path: Path) -> None:
    first = settings(tmp_path, {})["ENCRYPTION_KEYS"]
    assert (tmp_path / "encryption_key").stat().st_mode & 0o077 == 0
    assert settings(tmp_path, {})["ENCRYPTION_KEYS"] == first


@pytest.mark.parametrize(
    "vary",
    [
        None,
        "Accept-Encoding",
        "Accept-Encoding, Cookie",
        "cookie",
        "Accept-Encoding,HX-Request",
        " Accept-Encoding ,  Origin",
        "Accept-Encoding, accept-encoding",
        "Accept-Encoding,",
        "*",
        "",
        '"Accept-Encoding"',
    ],
)
def test_pages_vary_on_the_cookie_exactly_as_werkzeug_would_say_it(vary: str | None) -> None:
    """app/security.py adds Cookie to a page's Vary itself rather than through werkzeug's
    `response.vary`: every header must come out as werkzeug writes it, in the same place."""
    from werkzeug.wrappers import Response

    from app import security

    given = [("Content-Type", "text/html; charset=utf-8"), ("Vary", vary), ("ETag", '"e"')]
    if vary is not None:
        given += [("Vary", "Origin")]  # a second Vary: werkzeug reads only the first
    made = [(name, value) for name, value in given if value is not None]
    ours, werkzeugs = Response(headers=made), Response(headers=made)
    security.vary_on_cookie(ours, vary)
    werkzeugs.vary.add("Cookie")
    assert ours.headers.to_wsgi_list() == werkzeugs.headers.to_wsgi_list()
