"""Encryption at rest for what a child writes and how to reach them.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. ENCRYPTION_KEYS holds one or more
keys, newest first: data is written with the first and read with any, so a key can be
rotated without rewriting every row at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class CryptoNotReady(RuntimeError):
    """No key is set: create_app() binds one before the database is used."""


_cipher: MultiFernet | None = None
# One HMAC key for search (app/contacts/search.py) derived from each encryption key, newest
# first: a rotation rewrites the hashes with the newest, and until then any key still finds.
_search_keys: list[bytes] = []


def configure(keys: list[str]) -> None:
    global _cipher, _search_keys
    _cipher = MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    _search_keys = [
        hashlib.sha256(b"our-promise search\0" + base64.urlsafe_b64decode(key)).digest()
        for key in keys
    ]


def keyed_hashes(text: str) -> list[str]:
    """HMAC-SHA256 of `text` under each search key, newest first."""
    _current()
    return [hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest() for key in _search_keys]


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _current() -> MultiFernet:
    if _cipher is None:
        raise CryptoNotReady("encryption keys are not configured")
    return _cipher


def encrypt(text: str) -> bytes:
    return _current().encrypt(text.encode("utf-8"))


def rotate(token: bytes) -> bytes:
    """The same value encrypted again with the newest key (app/keys.py)."""
    try:
        return _current().rotate(token)
    except InvalidToken:
        raise CryptoNotReady("a stored value cannot be read with the configured keys") from None


def decrypt(token: bytes) -> str:
    try:
        return _current().decrypt(token).decode("utf-8")
    except InvalidToken:
        raise CryptoNotReady("a stored value cannot be read with the configured keys") from None


def seal(text: str) -> str:
    """`text` encrypted for a place that is not the database, such as a link (the tracker's
    search: a child's name in an address would stay in the browser's history and the proxy's
    log). URL-safe: Fernet's tokens are base64url."""
    return encrypt(text).decode("ascii")


def unseal(token: str, seconds: int) -> str | None:
    """What `seal` sealed at most `seconds` ago, or None for anything else (made up, changed,
    too old, or sealed under a key no longer configured)."""
    try:
        return _current().decrypt(token.encode("ascii"), ttl=seconds).decode("utf-8")
    except (InvalidToken, UnicodeError):
        return None
