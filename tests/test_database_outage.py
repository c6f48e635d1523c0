"""A database outage is honest: the child is told their message has not been sent, keeps
what they typed on the failing step, and the retry succeeds once the database is back.

Tested for real: the app reaches PostgreSQL through a TCP proxy that the test stops and
starts, so the failures are the driver's own, not a mock's."""

from __future__ import annotations

import select as sockets
import socket
import threading
from collections.abc import Iterator
from contextlib import suppress

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.models import Contact
from tests.conftest import HouseRulesClient
from tests.helpers import A_PROMISE, settings_for, soup
from tests.journey import answer, reference_on, send, send_form

WORDS = "Nobody came to my review <and nobody said why> 😞"


class Proxy:
    """Forwards 127.0.0.1:<port> to the database; `stop()` drops every connection at once."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = _free_port()
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        with self._lock:
            if self._listener is not None:
                with suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
                self._listener.close()
                self._listener = None
            for sock in self._open:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        with suppress(OSError, ValueError):
            while True:
                ready, _, _ = sockets.select([a, b], [], [], 1.0)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def through_proxy(app: Flask, database_url: str) -> Iterator[tuple[Flask, Proxy]]:
    url = make_url(database_url)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    proxied = create_app(
        settings_for(url.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
    )
    proxied.test_client_class = HouseRulesClient
    try:
        yield proxied, proxy
    finally:
        proxy.stop()
        with proxied.app_context():
            db.engine.dispose()


@pytest.mark.commits  # the app under test reaches the database through its own connections
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_child_is_told_and_keeps_their_words_then_the_retry_sends(
    through_proxy: tuple[Flask, Proxy],
) -> None:
    proxied, proxy = through_proxy
    child = proxied.test_client()
    with proxied.app_context():
        answer(child, "what", kind="not_kept")
        answer(child, "promises", promises=[A_PROMISE])
        page = child.get("/tell-us/words").get_data(as_text=True)
        token = soup(child.get("/tell-us/words")).select_one("input[name=csrf_token]")["value"]
        assert page
        proxy.stop()  # the database goes away as the child presses Continue
        down = child.post("/tell-us/words", data={"csrf_token": token, "words": WORDS})
        assert down.status_code == 503
        assert down.headers["Cache-Control"] == "no-store"
        shown = soup(down)
        summary = shown.select_one(".error-summary")
        assert summary is not None and "has not been sent yet" in summary.get_text()
        assert "Your words are kept on this page" in summary.get_text()
        assert shown.select_one("textarea#words").get_text() == WORDS  # nothing typed is lost
        assert shown.title.get_text().startswith("Error: ")
        proxy.start()  # back again: the same press of the button now works
        again = child.post("/tell-us/words", data={"csrf_token": token, "words": WORDS})
        assert again.status_code == 303
        for step in ("name", "how", "language", "helps", "advocate"):
            assert answer(child, step).status_code == 303
        answer(child, "helper", helper="nobody")
        form = send_form(child)
        proxy.stop()  # and again as they press "Send"
        failed_send = send(child, form)
        assert failed_send.status_code == 503
        assert "has not been sent yet" in failed_send.get_data(as_text=True)
        retry = soup(failed_send).select_one("form[action='/tell-us/send']")
        assert retry is not None
        proxy.start()
        data = {i["name"]: i["value"] for i in retry.select("input[type=hidden]")}
        sent = child.post("/tell-us/send", data=data)
        assert sent.status_code == 303
        reference = reference_on(child.get("/tell-us/sent"))
        contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
        assert contact is not None and contact.message["words"] == WORDS
