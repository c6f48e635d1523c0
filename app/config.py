"""Settings from the environment, with safe local defaults.

`OUR_PROMISE_ENV` picks the kind of run: `development` (the default, what `make run` starts),
`production` or `testing`. Production refuses to start without its own SECRET_KEY; local runs
generate one into instance/ on first start so nothing secret is ever committed. Production also
refuses to start without a way to send email (SMTP_HOST, or MAIL_TRANSPORT=log on purpose).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

YEAR = 365 * 24 * 60 * 60


class ConfigError(Exception):
    """The environment cannot run the app safely."""


def _local_secret(instance_path: Path) -> str:
    """The development secret key, made once and kept in instance/ (never committed)."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def _local_encryption_key(instance_path: Path) -> str:
    from app.crypto import new_key

    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / "encryption_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(new_key())
    return path.read_text().strip()


def _database_url(instance_path: Path, environ: Mapping[str, str]) -> str:
    url = environ.get("DATABASE_URL")
    if url:
        return url
    instance_path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance_path / 'our-promise.sqlite3'}"


def settings(instance_path: Path, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The Flask config for this environment."""
    env = environ.get("OUR_PROMISE_ENV", "development")
    if env not in {"development", "production", "testing"}:
        raise ConfigError(
            f"OUR_PROMISE_ENV must be development, production or testing, not {env!r}"
        )
    production = env == "production"

    secret = environ.get("SECRET_KEY", "")
    if production and len(secret) < 32:
        raise ConfigError("production needs SECRET_KEY set to at least 32 random characters")
    if not secret:
        secret = _local_secret(instance_path)
    # What children write is encrypted at rest; keys newest first, comma-separated.
    keys = [key for key in environ.get("ENCRYPTION_KEYS", "").split(",") if key]
    if production and not keys:
        raise ConfigError("production needs ENCRYPTION_KEYS (make one with `make key`)")
    if not keys:
        keys = [_local_encryption_key(instance_path)]

    # Mail goes by SMTP, or to the log only when someone chose that: in production a missing
    # SMTP_HOST would otherwise lose every email without a word.
    transport = environ.get("MAIL_TRANSPORT", "")
    if transport not in {"", "smtp", "log"}:
        raise ConfigError(f"MAIL_TRANSPORT must be smtp or log, not {transport!r}")
    smtp_host = environ.get("SMTP_HOST", "")
    if not smtp_host and (transport == "smtp" or (production and transport != "log")):
        raise ConfigError(
            "no SMTP_HOST, so no email would be sent: set SMTP_HOST (and SMTP_PORT, MAIL_FROM), "
            "or set MAIL_TRANSPORT=log to write emails to the log on purpose"
        )

    # Cookies are Secure, and __Host- prefixed, wherever the site is served over HTTPS.
    secure = production or environ.get("SECURE_COOKIES") == "1"
    return {
        "ENV_NAME": env,
        # Another council's content can be tried without editing ours.
        "COUNCIL_FILE": environ.get("COUNCIL_FILE", str(Path(__file__).with_name("council.toml"))),
        "TESTING": env == "testing",
        "SECRET_KEY": secret,
        "ENCRYPTION_KEYS": keys,
        # Limits on anonymous sends and status lookups; Redis in production (RATELIMIT_STORAGE_URI).
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        # Links in staff emails point here.
        "BASE_URL": environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # Email through the outbox: by SMTP, or written to the log (MAIL_TRANSPORT=log, or no
        # SMTP_HOST outside production).
        "MAIL_TRANSPORT": transport,
        "SMTP_HOST": smtp_host,
        "SMTP_PORT": int(environ.get("SMTP_PORT", "25")),
        "SMTP_USERNAME": environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": environ.get("SMTP_STARTTLS") == "1",
        "MAIL_FROM": environ.get("MAIL_FROM", "our-promise@localhost"),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path, environ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECURE": secure,
        "SESSION_COOKIE_NAME": "__Host-session" if secure else "session",
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A child's choices (age, symbols, their card) stay on their phone until they change them
        # or use the quick exit.
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(days=365),
        # The longest form (5,000 characters of words, each up to 12 bytes once percent-escaped)
        # is about 60 KB: a body past 1 MiB is refused with a kind page (413), before parsing.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Child forms have no time limit (WCAG 2.2.1): the CSRF token lives as long as the session.
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent.parent / "translations"),
        "LANGUAGES": [lang for lang in environ.get("LANGUAGES", "en").split(",") if lang],
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "application/javascript",
            "text/javascript",
            "image/svg+xml",
            "application/json",
            "application/manifest+json",
        ],
        "COMPRESS_MIN_SIZE": 256,
        "COMPRESS_STREAMS": False,  # static files come precompressed through WhiteNoise
        "COMPRESS_ALGORITHM": ["br", "gzip"],
    }
