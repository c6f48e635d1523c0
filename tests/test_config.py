"""Settings that would quietly lose mail stop production from starting."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import create_app, notify, outbox
from app.config import ConfigError, settings
from tests.helpers import TEST_KEY

PRODUCTION = {"OUR_PROMISE_ENV": "production", "SECRET_KEY": "k" * 40, "ENCRYPTION_KEYS": TEST_KEY}


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
