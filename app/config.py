"""Settings from the environment, with safe local defaults.

`OUR_PROMISE_ENV` picks the kind of run: `development` (the default, what `make run` starts),
`production` or `testing`. Local runs generate their keys into instance/ on first start so
nothing secret is ever committed. Production refuses to start on a setting that would quietly
hurt (`production_refusals`), each time with a message that says what to set:

- SECRET_KEY missing or guessable: at least 32 characters and at least 128 bits by zxcvbn's
  estimate (which sees repeats, sequences, keyboard runs and dictionary words; it reads the
  first 72 characters). `python -c "import secrets; print(secrets.token_hex(32))"` makes one.
- ENCRYPTION_KEYS missing (`make key`).
- No SMTP_HOST, unless MAIL_TRANSPORT=log says that emails go to the log on purpose.
- Debug on (FLASK_DEBUG): the debugger runs any code a visitor sends it.
- SQLite (DATABASE_URL unset, or sqlite://...) unless ALLOW_SQLITE=1: one machine only, and
  the file is easily lost with the server.
- Rate limits in memory (RATELIMIT_STORAGE_URI unset or memory://) unless WEB_CONCURRENCY=1:
  each process would count on its own, so a limit would be multiplied by the processes. The
  number of processes, let alone machines, cannot be seen from inside one, so memory:// must
  be chosen on purpose, with the one worker it is right for; set
  RATELIMIT_STORAGE_URI=redis://host:6379 otherwise.
- BASE_URL (the links in staff emails) missing, not https, or at localhost.
- PROXY_COUNT unset: behind a proxy, the default of 0 would count every child as the proxy's
  one address, so a single children's home could use up the limits for the whole council.
  Production says how many proxies there are, 0 included.

Behind a TLS proxy, set PROXY_COUNT to the number of proxies in front of the app (usually 1).
The app then believes the last PROXY_COUNT entries of X-Forwarded-For and X-Forwarded-Proto
(Werkzeug's ProxyFix), so rate limits and throttles count each child's own address, and the
scheme is https. The proxy must set both headers (nginx: `proxy_set_header X-Forwarded-For
$proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme;`). PROXY_COUNT=0, the
default, believes no header: without a proxy, a child could otherwise claim any address and
slip past the limits. X-Forwarded-Host is never believed (the app's links use BASE_URL).

Rate limits on the child's anonymous forms are figures in configuration (flask-limiter's
notation, "20 per hour", "10 per 10 minutes"; checked at start): LIMIT_SEND (each of the two
ways to send a message, per address) and LIMIT_STATUS_LOOKUP (looking a message up by its
reference and words, per address).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import os
import secrets
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import limits

YEAR = 365 * 24 * 60 * 60


class ConfigError(Exception):
    """The environment cannot run the app safely."""


def _made_once(instance_path: Path, name: str, make: Callable[[], str]) -> str:
    """A key made on first run and kept in instance/ (never committed), readable by us alone."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / name
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(make())
    return path.read_text().strip()


def _local_secret(instance_path: Path) -> str:
    """The development secret key."""
    return _made_once(instance_path, "secret_key", lambda: secrets.token_hex(32))


def _local_encryption_key(instance_path: Path) -> str:
    from app.crypto import new_key

    return _made_once(instance_path, "encryption_key", new_key)


def _local_vapid_key(instance_path: Path) -> str:
    """The Web Push (VAPID) private key, when VAPID_PRIVATE_KEY does not give one."""
    from app.push import new_private_key

    return _made_once(instance_path, "vapid_private_key", new_private_key)


def _database_url(instance_path: Path, environ: Mapping[str, str]) -> str:
    url = environ.get("DATABASE_URL")
    if url:
        return url
    instance_path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance_path / 'our-promise.sqlite3'}"


# A secret must hold at least this many bits by zxcvbn's estimate: about as hard to guess as a
# 128-bit random number, which `secrets.token_hex(32)` and `secrets.token_urlsafe(32)` exceed.
SECRET_MIN_LENGTH = 32
SECRET_MIN_BITS = 128
DEFAULT_LIMITS = {"LIMIT_SEND": "20 per hour", "LIMIT_STATUS_LOOKUP": "10 per 10 minutes"}


def secret_bits(secret: str) -> float:
    """zxcvbn's estimate of the guesses the secret takes, in bits (its first 72 characters)."""
    from zxcvbn import zxcvbn  # loads word lists: only production pays for it, once at start

    return float(zxcvbn(secret[:72])["guesses_log10"]) * math.log2(10)


def _flag(value: str | None) -> bool:
    """As Flask reads FLASK_DEBUG: set, and not 0, false or no."""
    return bool(value) and (value or "").lower() not in {"0", "false", "no"}


def _local_host(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _rate_limit(environ: Mapping[str, str], name: str) -> str:
    figure = environ.get(name, DEFAULT_LIMITS[name])
    try:
        limits.parse_many(figure)
    except ValueError:
        raise ConfigError(
            f"{name} must be a rate limit such as {DEFAULT_LIMITS[name]!r}, not {figure!r}"
        ) from None
    return figure


def _proxy_count(environ: Mapping[str, str]) -> int:
    value = environ.get("PROXY_COUNT", "0")
    if not value.isdigit():
        raise ConfigError(
            f"PROXY_COUNT must be the number of proxies in front of the app (0 for none), "
            f"not {value!r}"
        )
    return int(value)


def production_refusals(
    environ: Mapping[str, str], *, secret: str, database_url: str, storage_uri: str
) -> None:
    """Refuse what would quietly hurt in production; the module's docstring lists why each."""
    if len(secret) < SECRET_MIN_LENGTH or secret_bits(secret) < SECRET_MIN_BITS:
        raise ConfigError(
            f"production needs SECRET_KEY set to a random value of at least {SECRET_MIN_LENGTH} "
            f"characters that is hard to guess (at least {SECRET_MIN_BITS} bits; this one is "
            "short, repeated, a sequence or made of words): make one with "
            '`python -c "import secrets; print(secrets.token_hex(32))"`'
        )
    if _flag(environ.get("FLASK_DEBUG")):
        raise ConfigError(
            "production must not run with the debugger: unset FLASK_DEBUG (or set it to 0)"
        )
    if database_url.startswith("sqlite") and environ.get("ALLOW_SQLITE") != "1":
        raise ConfigError(
            "production would keep its data in SQLite: set DATABASE_URL to the PostgreSQL "
            "database (postgresql+psycopg://user@host/dbname), or ALLOW_SQLITE=1 to choose "
            "SQLite on purpose"
        )
    if storage_uri.startswith("memory://") and environ.get("WEB_CONCURRENCY") != "1":
        raise ConfigError(
            "production would keep its rate limits in each process's memory, so each worker "
            "and each machine would count on its own: set RATELIMIT_STORAGE_URI to Redis "
            "(redis://host:6379), or WEB_CONCURRENCY=1 if one process alone serves the app"
        )
    if "PROXY_COUNT" not in environ:
        raise ConfigError(
            "production needs PROXY_COUNT: the number of proxies in front of the app, usually 1 "
            "behind a TLS proxy (so each child's own address is counted, not the proxy's), or 0 "
            "when the app faces the internet itself"
        )
    base_url = environ.get("BASE_URL", "")
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname or _local_host(parts.hostname):
        raise ConfigError(
            "production needs BASE_URL set to the site's public https address, such as "
            f"https://promise.council.example (links in staff emails use it), not {base_url!r}"
        )


def settings(instance_path: Path, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The Flask config for this environment."""
    env = environ.get("OUR_PROMISE_ENV", "development")
    if env not in {"development", "production", "testing"}:
        raise ConfigError(
            f"OUR_PROMISE_ENV must be development, production or testing, not {env!r}"
        )
    production = env == "production"

    secret = environ.get("SECRET_KEY", "")
    storage_uri = environ.get("RATELIMIT_STORAGE_URI", "memory://")
    database_url = _database_url(instance_path, environ)
    if production:
        production_refusals(
            environ, secret=secret, database_url=database_url, storage_uri=storage_uri
        )
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
        "COUNCIL_FILE": environ.get("COUNCIL_FILE")
        or str(Path(__file__).with_name("council.toml")),
        "TESTING": env == "testing",
        "SECRET_KEY": secret,
        "ENCRYPTION_KEYS": keys,
        # Limits on anonymous sends and status lookups; Redis in production (RATELIMIT_STORAGE_URI).
        "RATELIMIT_STORAGE_URI": storage_uri,
        # Several apps (councils, or a test run) can share one Redis, each counting apart.
        "RATELIMIT_KEY_PREFIX": environ.get("RATELIMIT_KEY_PREFIX", "our-promise"),
        "RATELIMIT_HEADERS_ENABLED": False,
        **{name: _rate_limit(environ, name) for name in DEFAULT_LIMITS},
        # How many proxies' X-Forwarded-For and -Proto to believe (see the module's docstring).
        "PROXY_COUNT": _proxy_count(environ),
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
        # Web Push: the VAPID key every app server and the outbox worker share (else made once
        # in instance/), and who the push services may contact about our pushes.
        "VAPID_PRIVATE_KEY": environ.get("VAPID_PRIVATE_KEY") or _local_vapid_key(instance_path),
        "VAPID_SUBJECT": environ.get("VAPID_SUBJECT")
        or f"mailto:{environ.get('MAIL_FROM', 'our-promise@localhost')}",
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A connection PostgreSQL has closed (a restart, a failover) is found and replaced
        # before a request uses it, so the send that meets it is kept, not refused: one round
        # trip, and about 115 us of CPU; without it the send after a restart fails
        # (tests/test_send_after_the_database_dropped_us.py). A question and an answer skip
        # it, and run their one statement again instead (app/drafts.py, issue 15).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECURE": secure,
        "SESSION_COOKIE_NAME": "__Host-session" if secure else "session",
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A child's choices (age, symbols, their card) stay on their phone until they change them
        # or use the quick exit.
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(days=365),
        # The cookie is signed and sent again only when the choices change, not on every page:
        # re-signing it each time cost every response more than a bare Flask "hello" (issue 15).
        # It still lasts a year from the last change.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # Plain child pages are made once per language, age and symbols (app/child/kept_pages.py),
        # except under the development server, where templates change as they are edited.
        "KEEP_PAGES": environ.get("KEEP_PAGES", "1") == "1",
        # The longest form (5,000 characters of words, each up to 12 bytes once percent-escaped)
        # is about 60 KB: a body past 1 MiB is refused with a kind page (413), before parsing.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Child forms have no time limit (WCAG 2.2.1): the CSRF token lives as long as the session.
        "WTF_CSRF_TIME_LIMIT": None,
        # Browsers send no Referer here (Referrer-Policy: no-referrer, app/security.py), so
        # Flask-WTF's referrer check on https would refuse every form in production. The token
        # stands alone: the cookie holding it is __Host- (no subdomain or plain-http page can
        # plant one) and SameSite=Lax, and HSTS keeps browsers on https.
        "WTF_CSRF_SSL_STRICT": False,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent.parent / "translations"),
        # Empty: English and every shipped catalogue (app/i18n.py); "en,pl" offers those alone.
        "LANGUAGES": [lang for lang in environ.get("LANGUAGES", "").split(",") if lang],
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


def main() -> int:
    """Check this environment's settings, as `make serve` does first, and say what to set in
    one line rather than at the foot of a traceback. 0 if the app may start, else 1."""
    instance = Path(__file__).resolve().parent.parent / "instance"  # where Flask puts it
    try:
        settings(instance)
    except ConfigError as refusal:
        print(f"Our Promise cannot start: {refusal}", file=sys.stderr)
        return 1
    return 0
