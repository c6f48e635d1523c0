"""Web Push (issue 12, points 6-7): off until the child turns it on; one push per change the
child would see, written by the rules into the outbox; sent by pywebpush to a push service on
this machine, decrypted there as the browser would, its VAPID signature checked; no words."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.config import settings
from app.extensions import db
from app.models import Contact, OutboxMessage, PushSubscription
from app.outbox import Mail
from app.push import PREFIX, Pusher, application_server_key, new_private_key
from app.timekeeping import now
from tests.helpers import COUNCIL, record, soup
from tests.journey import send_message
from tests.push_service import Phone, PushService, deliver_pushes, push_service, vapid_claims

STAFF = "customer_relations"


@pytest.fixture
def service() -> Iterator[PushService]:
    with push_service() as running:
        yield running


def pushes_waiting() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.recipient.startswith(PREFIX), OutboxMessage.sent_at.is_(None)
            )
        )
    )


def subscriptions() -> int:
    return db.session.scalar(select(func.count()).select_from(PushSubscription)) or 0


def deliver(app: Flask) -> tuple[int, int]:
    return deliver_pushes(app)


def turn_on(client: FlaskClient, reference: str, phone: Phone, **headers: str) -> Any:
    return client.post(f"/messages/{reference}/news", json=phone.subscription, headers=headers)


def a_message(client: FlaskClient) -> Contact:
    reference = send_message(client)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    return contact


def test_push_is_off_until_the_child_turns_it_on(app: Flask, client: FlaskClient) -> None:
    contact = a_message(client)
    page = client.get(f"/messages/{contact.reference}").get_data(as_text=True)
    assert "Tell me when there's news" in page and "data-news hidden" in page  # JS shows it
    record(contact, "read", role=STAFF, now=now())
    db.session.commit()
    assert pushes_waiting() == [] and subscriptions() == 0


def test_a_change_the_child_sees_is_one_push_with_no_words(
    app: Flask, client: FlaskClient, service: PushService
) -> None:
    contact = a_message(client)
    phone = Phone(f"{service.url}/push/one")
    assert turn_on(client, contact.reference, phone).get_json() == {"on": True}
    assert turn_on(client, contact.reference, phone).status_code == 200  # twice: still one
    assert subscriptions() == 1
    record(contact, "read", role=STAFF, now=now())
    record(contact, "note", role=STAFF, now=now(), text="Called the carer's office.")
    db.session.commit()
    assert len(pushes_waiting()) == 1  # a staff note is not on the status page
    assert deliver(app) == (1, 0)
    [push] = service.received
    payload = phone.read(push)
    assert payload == {"title": COUNCIL.app.name, "body": "There's news about your message"}
    words = contact.message["words"]
    assert words not in json.dumps(payload) and contact.reference not in json.dumps(payload)
    claims = vapid_claims(push, application_server_key(app.config["VAPID_PRIVATE_KEY"]))
    assert claims["aud"] == service.url and claims["sub"] == app.config["VAPID_SUBJECT"]
    assert claims["exp"] > now().timestamp()
    assert int(push.headers["ttl"]) > 0


def test_the_childs_own_doing_is_not_news_to_them(app: Flask, client: FlaskClient) -> None:
    contact = a_message(client)
    phone = Phone("http://127.0.0.1:9/push")
    turn_on(client, contact.reference, phone)
    response = client.get(f"/messages/{contact.reference}")
    assert response.status_code == 200
    from app import contacts
    from app.council import office

    contacts.add_to_message(db.session(), contact, "I forgot to say", now(), office())
    db.session.commit()
    assert pushes_waiting() == []


def test_each_push_service_gets_claims_of_its_own(
    app: Flask, client: FlaskClient, service: PushService
) -> None:
    contact = a_message(client)
    with push_service() as other:
        phones = [Phone(f"{service.url}/a"), Phone(f"{other.url}/b")]
        for phone in phones:
            turn_on(client, contact.reference, phone)
        record(contact, "read", role=STAFF, now=now())
        db.session.commit()
        assert deliver(app) == (2, 0)
        key = application_server_key(app.config["VAPID_PRIVATE_KEY"])
        for running, phone in ((service, phones[0]), (other, phones[1])):
            [push] = running.received
            assert vapid_claims(push, key)["aud"] == running.url
            assert phone.read(push)["body"] == "There's news about your message"


def test_a_subscription_the_push_service_has_forgotten_is_deleted(
    app: Flask, client: FlaskClient, service: PushService
) -> None:
    contact = a_message(client)
    turn_on(client, contact.reference, Phone(f"{service.url}/gone"))
    service.gone.add("/gone")
    record(contact, "read", role=STAFF, now=now())
    db.session.commit()
    assert deliver(app) == (1, 0)  # nothing to try again
    assert subscriptions() == 0 and pushes_waiting() == []


def test_a_push_service_that_fails_is_tried_again(app: Flask, client: FlaskClient) -> None:
    contact = a_message(client)
    turn_on(client, contact.reference, Phone("http://127.0.0.1:9/nobody-listens"))
    record(contact, "read", role=STAFF, now=now())
    db.session.commit()
    assert deliver(app) == (0, 1)
    [waiting] = pushes_waiting()
    assert waiting.attempts == 1 and waiting.last_error and subscriptions() == 1


def test_finishing_the_message_sends_its_news_then_forgets_the_phones(
    app: Flask, client: FlaskClient, service: PushService
) -> None:
    contact = a_message(client)
    phone = Phone(f"{service.url}/done")
    turn_on(client, contact.reference, phone)
    record(contact, "spoke_to_child", role=STAFF, now=now())
    record(contact, "closed", role=STAFF, now=now(), text="Sorted.")
    db.session.commit()
    assert subscriptions() == 0
    assert deliver(app) == (2, 0)
    assert len(service.received) == 2
    again = turn_on(client, contact.reference, phone)
    assert again.status_code == 409 and subscriptions() == 0


def test_turning_it_off_deletes_the_subscription(app: Flask, client: FlaskClient) -> None:
    contact = a_message(client)
    phone = Phone("http://127.0.0.1:9/push")
    turn_on(client, contact.reference, phone)
    off = client.post(f"/messages/{contact.reference}/news/off", json={"endpoint": phone.endpoint})
    assert off.get_json() == {"on": False} and subscriptions() == 0


def test_only_the_phone_holding_the_message_from_this_site_may_turn_it_on(
    app: Flask, client: FlaskClient
) -> None:
    contact = a_message(client)
    phone = Phone("http://127.0.0.1:9/push")
    assert turn_on(app.test_client(), contact.reference, phone).status_code == 404
    elsewhere = turn_on(client, contact.reference, phone, Origin="https://elsewhere.example")
    assert elsewhere.status_code == 400
    bad = client.post(
        f"/messages/{contact.reference}/news",
        json={"endpoint": "javascript:alert(1)", "keys": phone.subscription["keys"]},
    )
    assert bad.status_code == 400
    assert subscriptions() == 0


def test_the_push_service_refuses_a_payload_over_4096_bytes(service: PushService) -> None:
    from pywebpush import WebPushException, webpush

    from app.push import new_private_key

    phone = Phone(f"{service.url}/big")
    with pytest.raises(WebPushException) as refused:
        webpush(
            phone.subscription,
            data="x" * 5000,
            vapid_private_key=new_private_key(),
            vapid_claims={"sub": "mailto:test@example.org"},
            timeout=5,
        )
    assert refused.value.response is not None and refused.value.response.status_code == 413


@pytest.mark.parametrize("answer", [404, 410])
def test_a_subscription_gone_from_the_push_service_is_deleted_on_404_or_410(
    app: Flask, client: FlaskClient, answer: int
) -> None:
    contact = a_message(client)
    with push_service() as running:
        running.answers["/gone"] = answer
        turn_on(client, contact.reference, Phone(f"{running.url}/gone"))
        record(contact, "read", role=STAFF, now=now())
        db.session.commit()
        assert deliver(app) == (1, 0)  # nothing to try again
    assert subscriptions() == 0 and pushes_waiting() == []


def test_a_push_service_that_never_answers_is_given_up_on_after_the_timeout() -> None:
    """A push service that takes the request and says nothing must not hold the outbox worker:
    pywebpush is given a timeout, and the outbox tries again later (an OSError)."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # connections are taken into the backlog and never answered
    try:
        port = silent.getsockname()[1]
        phone = Phone(f"http://127.0.0.1:{port}/push")
        pusher = Pusher(
            private_key=new_private_key(),
            subject="mailto:test@example.org",
            title="Our Promise",
            body="There's news about your message",
            gone=lambda _: None,
            timeout=0.5,
        )
        mail = Mail(
            key="k", recipient=f"{PREFIX}1", subject="news", body=json.dumps(phone.subscription)
        )
        failed: list[BaseException] = []

        def send() -> None:
            try:
                pusher(mail)
            except BaseException as error:  # what it raised is the test's to see
                failed.append(error)

        sending = threading.Thread(target=send, daemon=True)  # without a timeout: forever
        sending.start()
        sending.join(5)
        assert not sending.is_alive(), "the push waited on a silent push service"
        assert len(failed) == 1 and isinstance(failed[0], OSError)
    finally:
        silent.close()


def test_the_vapid_key_comes_from_the_environment_or_is_made_once_in_instance(
    tmp_path: Path,
) -> None:
    environ = {"OUR_PROMISE_ENV": "development"}
    made = settings(tmp_path / "one", environ)["VAPID_PRIVATE_KEY"]
    assert (tmp_path / "one" / "vapid_private_key").read_text().strip() == made
    assert (tmp_path / "one" / "vapid_private_key").stat().st_mode & 0o077 == 0  # ours alone
    assert settings(tmp_path / "one", environ)["VAPID_PRIVATE_KEY"] == made  # the next start
    public = base64.urlsafe_b64decode(application_server_key(made) + "==")
    assert len(public) == 65 and public[0] == 4  # an uncompressed P-256 point, as subscribe wants
    given = new_private_key()
    assert (
        settings(tmp_path / "two", {**environ, "VAPID_PRIVATE_KEY": given})["VAPID_PRIVATE_KEY"]
        == given
    )
    assert not (tmp_path / "two" / "vapid_private_key").exists()
    assert settings(tmp_path / "three", environ)["VAPID_PRIVATE_KEY"] != made


def test_each_change_on_the_status_page_is_one_push_and_nothing_else_is(
    app: Flask, client: FlaskClient
) -> None:
    """Step by step, what the status page shows is read before and after each event: a push is
    written exactly when it changed (the status page's own text, not the rules' status)."""
    contact = a_message(client)
    turn_on(client, contact.reference, Phone("http://127.0.0.1:9/push"))
    page = f"/messages/{contact.reference}"

    def shown() -> str:
        body = soup(client.get(page)).select_one("main")
        assert body is not None
        return body.get_text(" ", strip=True)

    steps: list[tuple[str, dict[str, Any]]] = [
        ("read", {}),
        ("note", {"text": "Called the carer's office."}),
        ("update_for_child", {"text": "We are finding you a new mentor."}),
        ("note", {"text": "Left a message."}),
        ("spoke_to_child", {}),
        ("closed", {"text": "Sorted."}),
    ]
    changed = 0
    for kind, details in steps:
        before = shown()
        record(contact, kind, role=STAFF, now=now(), **details)
        db.session.commit()
        changed += shown() != before
        assert len(pushes_waiting()) == changed, kind
    assert changed == 3 and subscriptions() == 0  # finished: no more news, the phone forgotten
