"""Production refuses to start on a setting that would quietly hurt, and says what to set."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from app import create_app, notify, outbox
from app.config import ConfigError, secret_bits, settings
from tests.helpers import PRODUCTION_ENV

# Production with everything but a way to send email.
PRODUCTION = {name: value for name, value in PRODUCTION_ENV.items() if name != "SMTP_HOST"}


def without(*names: str) -> dict[str, str]:
    return {name: value for name, value in PRODUCTION_ENV.items() if name not in names}


def test_a_correct_production_environment_starts(tmp_path: Path) -> None:
    config = settings(tmp_path, PRODUCTION_ENV)
    assert config["ENV_NAME"] == "production"
    assert config["SQLALCHEMY_DATABASE_URI"] == PRODUCTION_ENV["DATABASE_URL"]
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert config["BASE_URL"] == "https://promise.council.example"
    assert (config["LIMIT_SEND"], config["LIMIT_STATUS_LOOKUP"]) == (
        "20 per hour",
        "10 per 10 minutes",
    )
    assert config["PROXY_COUNT"] == 1
    # The app builds on it (Redis is not reached before a limit is counted).
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert not app.debug


def test_production_refuses_to_start_without_a_way_to_send_email(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"SMTP_HOST.*MAIL_TRANSPORT=log"):
        settings(tmp_path, PRODUCTION)


def test_production_writes_mail_to_the_log_only_when_told_to(tmp_path: Path) -> None:
    config = settings(tmp_path, {**PRODUCTION, "MAIL_TRANSPORT": "log"})
    assert config["MAIL_TRANSPORT"] == "log" and config["SMTP_HOST"] == ""


def test_production_with_an_smtp_server_sends_by_smtp(tmp_path: Path) -> None:
    config = settings(
        tmp_path, {**PRODUCTION, "SMTP_HOST": "smtp.council.example", "SMTP_PORT": "587"}
    )
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    send = notify.sender(app)
    assert isinstance(send, outbox.Smtp)
    assert (send.host, send.port) == ("smtp.council.example", 587)


@pytest.mark.parametrize("env", ["development", "testing"])
def test_local_runs_without_smtp_write_mail_to_the_log(tmp_path: Path, env: str) -> None:
    config = settings(tmp_path, {"OUR_PROMISE_ENV": env})
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert not isinstance(notify.sender(app), outbox.Smtp)


def test_asking_for_smtp_without_a_server_is_refused_anywhere(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SMTP_HOST"):
        settings(tmp_path, {"MAIL_TRANSPORT": "smtp"})


def test_an_unknown_mail_transport_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="MAIL_TRANSPORT must be smtp or log, not 'post'"):
        settings(
            tmp_path, {**PRODUCTION, "SMTP_HOST": "smtp.council.example", "MAIL_TRANSPORT": "post"}
        )


@pytest.mark.parametrize("debug", ["1", "true", "yes"])
def test_production_refuses_the_debugger(tmp_path: Path, debug: str) -> None:
    with pytest.raises(ConfigError, match="unset FLASK_DEBUG"):
        settings(tmp_path, {**PRODUCTION_ENV, "FLASK_DEBUG": debug})
    assert settings(tmp_path, {**PRODUCTION_ENV, "FLASK_DEBUG": "0"})


def test_production_refuses_the_debugger_turned_on_in_the_app(tmp_path: Path) -> None:
    config = settings(tmp_path, PRODUCTION_ENV)
    with pytest.raises(ConfigError, match="unset FLASK_DEBUG"):
        create_app({**config, "SQLALCHEMY_DATABASE_URI": "sqlite://", "DEBUG": True})


@pytest.mark.parametrize("database", [None, "sqlite:///srv/our-promise.sqlite3"])
def test_production_refuses_sqlite_unless_chosen(tmp_path: Path, database: str | None) -> None:
    environ = (
        without("DATABASE_URL")
        if database is None
        else {
            **PRODUCTION_ENV,
            "DATABASE_URL": database,
        }
    )
    with pytest.raises(ConfigError, match=r"DATABASE_URL.*PostgreSQL.*ALLOW_SQLITE=1"):
        settings(tmp_path, environ)
    chosen = settings(tmp_path, {**environ, "ALLOW_SQLITE": "1"})
    assert chosen["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


@pytest.mark.parametrize("storage", [None, "memory://"])
@pytest.mark.parametrize("workers", [None, "2", "4"])
def test_production_refuses_rate_limits_in_memory_with_more_than_one_worker(
    tmp_path: Path, storage: str | None, workers: str | None
) -> None:
    environ = without("RATELIMIT_STORAGE_URI")
    if storage is not None:
        environ["RATELIMIT_STORAGE_URI"] = storage
    if workers is not None:
        environ["WEB_CONCURRENCY"] = workers
    with pytest.raises(ConfigError, match=r"RATELIMIT_STORAGE_URI.*redis://.*WEB_CONCURRENCY=1"):
        settings(tmp_path, environ)


def test_production_keeps_rate_limits_in_memory_for_one_worker_on_purpose(tmp_path: Path) -> None:
    environ = {**without("RATELIMIT_STORAGE_URI"), "WEB_CONCURRENCY": "1"}
    assert settings(tmp_path, environ)["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.mark.parametrize(
    "base_url",
    [
        None,
        "",
        "http://127.0.0.1:5000",  # the local default
        "https://localhost",
        "https://promise.localhost",
        "https://127.0.0.1:8443",
        "https://[::1]/",
        "https://0.0.0.0",
        "http://promise.council.example",  # not https
        "promise.council.example",
        "https://",
    ],
)
def test_production_refuses_a_base_url_that_is_not_the_public_site(
    tmp_path: Path, base_url: str | None
) -> None:
    environ = without("BASE_URL")
    if base_url is not None:
        environ["BASE_URL"] = base_url
    with pytest.raises(ConfigError, match=r"BASE_URL.*public https address"):
        settings(tmp_path, environ)


WEAK_SECRETS = {
    "identical": "k" * 40,
    "identical-32": "a" * 32,
    "digits-repeated": "0123456789" * 4,
    "alphabet": "abcdefghijklmnopqrstuvwxyz0123456789",
    "alphabet-62": "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "two-letters": "ab" * 20,
    "keyboard": "qwertyuiopasdfghjklzxcvbnm123456",
    "words": "correcthorsebatterystaplecorrecthorse",
    "password": "password" * 5,
    "a-sentence": "our-promise-secret-key-for-production-2026",
    "random-but-repeated": "9f86d081884c7d65" * 4,
    "random-but-short": "Xq2u8Lr0ZpWc4sKt9vYb",
}


@pytest.mark.parametrize("secret", list(WEAK_SECRETS.values()), ids=list(WEAK_SECRETS))
def test_production_refuses_a_secret_key_that_is_easy_to_guess(tmp_path: Path, secret: str) -> None:
    with pytest.raises(ConfigError, match=r"SECRET_KEY.*token_hex\(32\)"):
        settings(tmp_path, {**PRODUCTION_ENV, "SECRET_KEY": secret})
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("make", [secrets.token_hex, secrets.token_urlsafe])
def test_production_takes_a_random_secret_key(tmp_path: Path, make: object) -> None:
    assert callable(make)
    for _ in range(10):
        secret = make(32)
        assert secret_bits(secret) >= 128, secret
        assert settings(tmp_path, {**PRODUCTION_ENV, "SECRET_KEY": secret})["SECRET_KEY"] == secret


@pytest.mark.parametrize(
    ("name", "figure"), [("LIMIT_SEND", "20 per hourz"), ("LIMIT_STATUS_LOOKUP", "ten a minute")]
)
def test_a_rate_limit_with_a_typo_stops_the_start(tmp_path: Path, name: str, figure: str) -> None:
    with pytest.raises(ConfigError, match=f"{name} must be a rate limit such as"):
        settings(tmp_path, {name: figure})


def test_rate_limits_are_set_in_the_environment(tmp_path: Path) -> None:
    config = settings(
        tmp_path, {"LIMIT_SEND": "60 per hour", "LIMIT_STATUS_LOOKUP": "5 per minute"}
    )
    assert (config["LIMIT_SEND"], config["LIMIT_STATUS_LOOKUP"]) == ("60 per hour", "5 per minute")


def test_production_asks_how_many_proxies_are_in_front(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="production needs PROXY_COUNT"):
        settings(tmp_path, without("PROXY_COUNT"))
    assert settings(tmp_path, {**PRODUCTION_ENV, "PROXY_COUNT": "0"})["PROXY_COUNT"] == 0


@pytest.mark.parametrize("count", ["-1", "one", "1.5"])
def test_the_proxy_count_must_be_a_number(tmp_path: Path, count: str) -> None:
    with pytest.raises(ConfigError, match="PROXY_COUNT must be the number of proxies"):
        settings(tmp_path, {"PROXY_COUNT": count})


@pytest.mark.parametrize("value", ["", None])
def test_an_empty_or_missing_council_file_means_the_shipped_one(
    tmp_path: Path, value: str | None
) -> None:
    environ = {} if value is None else {"COUNCIL_FILE": value}
    assert Path(settings(tmp_path, environ)["COUNCIL_FILE"]) == Path(app_dir(), "council.toml")


def app_dir() -> Path:
    return Path(__file__).parent.parent / "app"
