"""A push service on this machine, and a phone's side of a subscription, for the Web Push tests.

The service takes what pywebpush sends, as FCM or Mozilla's would: it refuses a body over
4,096 bytes (413), answers 410 for an endpoint it is told is gone (or any answer it is given
for a path), and keeps the rest. A test then decrypts a push as the browser would (http_ece,
aes128gcm) and checks its VAPID signature.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import py_vapid
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from sqlalchemy import update

from app import notify, outbox
from app.extensions import db
from app.models import OutboxMessage
from app.push import PREFIX
from app.timekeeping import now

LIMIT = 4096


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    url: str
    received: list[Received] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    answers: dict[str, int] = field(default_factory=dict)  # a path's own answer (404, 410...)


@contextmanager
def push_service() -> Iterator[PushService]:
    service = PushService("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if len(body) > LIMIT:
                self.send_response(413)
            elif self.path in service.gone:
                self.send_response(410)
            elif self.path in service.answers:
                self.send_response(service.answers[self.path])
            else:
                headers = {name.lower(): value for name, value in self.headers.items()}
                service.received.append(Received(self.path, headers, body))
                self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Phone:
    """A browser's side of one subscription: its keys, and the subscription it gives the page."""

    endpoint: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def subscription(self) -> dict[str, Any]:
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}

    def read(self, push: Received) -> dict[str, Any]:
        """The push's payload, decrypted as the browser would."""
        assert push.headers["content-encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            push.body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        payload: dict[str, Any] = json.loads(plain)
        return payload


def vapid_claims(push: Received, public_key: str) -> dict[str, Any]:
    """The push's VAPID claims, once its signature is checked against our public key."""
    authorization = push.headers["authorization"]
    assert py_vapid.Vapid02.verify(authorization), "the VAPID signature does not verify"
    parts = dict(part.split("=", 1) for part in authorization.split(" ", 1)[1].split(","))
    assert parts["k"] == public_key, "signed with another key"
    claims: dict[str, Any] = json.loads(unb64(parts["t"].split(".")[1]))
    return claims


def deliver_pushes(app: Flask) -> tuple[int, int]:
    """The outbox worker's round for the pushes (emails are set aside as sent); in an app
    context. (sent, failed)."""
    later = now() + dt.timedelta(minutes=1)
    db.session.execute(
        update(OutboxMessage)
        .where(~OutboxMessage.recipient.startswith(PREFIX))
        .values(sent_at=later)
    )
    db.session.commit()
    return outbox.deliver_due(db.session(), notify.deliverer(app), lambda: later)
