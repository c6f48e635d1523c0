"""Web Push delivery: VAPID-signed (RFC 8292), encrypted (RFC 8291) pushes, sent from the outbox.

When a push is owed, and to whom, is the rules' business (app/contacts/news.py): they write an
outbox row per subscription, in the event's own transaction. This module only sends one, with
pywebpush: a timeout on every request, and fresh VAPID claims for every send (pywebpush writes
`aud` and `exp` into the dict it is given, so a shared dict would sign the next push for the
previous push service). What a push says is always the same few words: never the child's words,
a name or a topic, as a lock screen on a shared phone is seen by anyone.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pywebpush import WebPushException, webpush

from app.outbox import Mail, Send

PREFIX = "push:"  # an outbox row whose recipient starts so is a push, not an email
TTL = 24 * 60 * 60  # a phone off for a day still hears there is news
TIMEOUT = 10.0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_private_key() -> str:
    """A new VAPID private key: the raw P-256 scalar, base64url, as pywebpush takes it."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _b64(key.private_numbers().private_value.to_bytes(32, "big"))


@functools.cache  # a key derived afresh on every status page cost ~100 us of it (issue 15)
def application_server_key(private_key: str) -> str:
    """The public half, as the browser's PushManager.subscribe wants it."""
    raw = base64.urlsafe_b64decode(private_key + "=" * (-len(private_key) % 4))
    key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    return _b64(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


class PushFailed(OSError):
    """The push service refused or could not be reached: the outbox tries again later."""


@dataclass(frozen=True)
class Pusher:
    private_key: str
    subject: str
    title: str
    body: str
    gone: Callable[[int], None]  # forget a subscription the push service no longer knows
    timeout: float = TIMEOUT

    def __call__(self, mail: Mail) -> None:
        subscription = json.loads(mail.body)
        payload = json.dumps({"title": self.title, "body": self.body})
        try:
            webpush(
                subscription_info=subscription,
                data=payload,
                vapid_private_key=self.private_key,
                vapid_claims={"sub": self.subject},  # a new dict each time: see the docstring
                ttl=TTL,
                timeout=self.timeout,
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in (404, 410):
                self.gone(int(mail.recipient.removeprefix(PREFIX)))
                return  # nothing to try again: the phone has unsubscribed
            raise PushFailed(f"push service answered {status}: {error.message}") from error


def either(mail: Send, push: Send) -> Send:
    """The outbox's one sender: pushes to the push service, everything else as email."""

    def send(message: Mail) -> None:
        (push if message.recipient.startswith(PREFIX) else mail)(message)

    return send
