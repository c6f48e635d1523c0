"""Encryption at rest for what a child writes and how to reach them.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. ENCRYPTION_KEYS holds one or more
keys, newest first: data is written with the first and read with any, so a key can be
rotated without rewriting every row at once.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class CryptoNotReady(RuntimeError):
    """No key is set: create_app() binds one before the database is used."""


_cipher: MultiFernet | None = None


def configure(keys: list[str]) -> None:
    global _cipher
    _cipher = MultiFernet([Fernet(key.encode("ascii")) for key in keys])


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
