"""The deployment examples in deploy/ and docs/deploy.md are right: their settings pass the
production checks, their commands exist, and every setting the app reads is documented."""

from __future__ import annotations

import re
import secrets
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask

from app import crypto
from app.config import settings

ROOT = Path(__file__).parent.parent
DEPLOY = ROOT / "deploy"


def with_secrets(environ: dict[str, str]) -> dict[str, str]:
    """The example's settings with the secrets an operator would generate filled in."""
    return environ | {"SECRET_KEY": secrets.token_hex(32), "ENCRYPTION_KEYS": crypto.new_key()}


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def test_the_compose_example_passes_the_production_checks(tmp_path: Path) -> None:
    for name in ("app", "outbox", "migrate"):
        environment = {k: str(v) for k, v in compose()["services"][name]["environment"].items()}
        config = settings(tmp_path, with_secrets(environment))
        assert config["ENV_NAME"] == "production"
        assert config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
        assert config["RATELIMIT_STORAGE_URI"].startswith("redis://")


def test_the_environment_file_example_passes_the_production_checks(tmp_path: Path) -> None:
    environment = {}
    for line in (DEPLOY / "our-promise.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            environment[key] = value
    environment["COUNCIL_FILE"] = str(ROOT / "app" / "council.toml")
    config = settings(tmp_path, with_secrets(environment))
    assert config["BASE_URL"].startswith("https://") and config["SMTP_HOST"]


def commands() -> list[list[str]]:
    found = [
        shlex.split(line.removeprefix("ExecStart="))
        for unit in DEPLOY.glob("*.service")
        for line in unit.read_text().splitlines()
        if line.startswith("ExecStart=")
    ]
    found += [shlex.split(s["command"]) for s in compose()["services"].values() if "command" in s]
    return found


def test_every_example_command_exists(page_app: Flask) -> None:
    runs = commands()
    assert len(runs) >= 5
    for command in runs:
        program = Path(command[0]).name
        if program == "gunicorn":
            assert command[1:] == ["--config", "gunicorn.conf.py", "app:create_app()"]
            assert (ROOT / "gunicorn.conf.py").is_file()
        elif program == "flask":
            assert command[1:3] == ["--app", "app"]
            result = page_app.test_cli_runner().invoke(args=[*command[3:], "--help"])
            assert result.exit_code == 0, (command, result.output)
        else:
            assert program in {"redis-server"}, command


@pytest.mark.parametrize("name", ["config.py", "../gunicorn.conf.py"])
def test_every_setting_the_app_reads_is_documented(name: str) -> None:
    source = (ROOT / "app" / name).read_text()
    read = set(re.findall(r"""environ(?:\.get\(|\[)["']([A-Z_]+)["']""", source))
    assert read, "no settings found: has the way they are read changed?"
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert not {setting for setting in read if f"`{setting}" not in guide}
