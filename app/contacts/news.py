"""Telling a phone there is news: every change the child would see on the status page puts one
push per subscribed phone into the outbox, written by the rule in the event's transaction.

Subscriptions exist only after the child turned them on (the status page). The child's own
doing (adding to the message, "How did we do?", not feeling safe) is not news to them. When the
contact is finished, its last push is written and its subscriptions are deleted.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Exists, delete, exists, select
from sqlalchemy.orm import Session

from app import outbox
from app.contacts.status import Shown, Stage, Status, status
from app.models import Contact, ContactEvent, PushSubscription
from app.push import PREFIX


def status_changed(
    session: Session,
    contact: Contact,
    before: Status,
    event: ContactEvent,
    now: dt.datetime,
    by_child: bool,
) -> None:
    after = status(contact)
    if by_child or seen_by_the_child(after) == seen_by_the_child(before):
        return
    subscriptions = session.scalars(
        select(PushSubscription).where(PushSubscription.contact_id == contact.id)
    ).all()
    for subscription in subscriptions:
        outbox.queue(
            session,
            key=f"{PREFIX}{subscription.id}:{event.id}",
            recipient=f"{PREFIX}{subscription.id}",
            subject="news",
            body=json.dumps(
                {
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                }
            ),
            now=now,
        )
    if after.stage is Stage.FINISHED:
        forget(session, contact)


def seen_by_the_child(shown: Status) -> tuple[object, ...]:
    """What the status page shows of a status (templates/child/messages/show.html): a change
    in anything else (a conversation after the stage already says "We have talked", a failed
    try) would be a push about nothing the child can find."""
    return (
        shown.stage,
        shown.person_name,
        shown.person_role,
        shown.due_at,
        shown.updates,
        shown.outcome,
        shown.feedback_open,
        shown.handed_over,
        shown.replies,
        shown.questions,
        shown.reached_in_app,
    )


def subscribe(
    session: Session, contact: Contact, endpoint: str, p256dh: str, auth: str, now: dt.datetime
) -> PushSubscription:
    """Turn news on for this phone (once: the same endpoint again changes nothing)."""
    found = session.scalar(
        select(PushSubscription).where(
            PushSubscription.contact_id == contact.id, PushSubscription.endpoint == endpoint
        )
    )
    if found is None:
        found = PushSubscription(
            contact_id=contact.id, endpoint=endpoint, p256dh=p256dh, auth=auth, created_at=now
        )
        session.add(found)
    else:
        found.p256dh, found.auth = p256dh, auth
    session.flush()
    return found


def unsubscribe(session: Session, contact: Contact, endpoint: str) -> None:
    session.execute(
        delete(PushSubscription).where(
            PushSubscription.contact_id == contact.id, PushSubscription.endpoint == endpoint
        )
    )


def forget(session: Session, contact: Contact) -> None:
    session.execute(delete(PushSubscription).where(PushSubscription.contact_id == contact.id))


def gone(session: Session, subscription_id: int) -> None:
    """The push service no longer knows this subscription (404 or 410)."""
    session.execute(delete(PushSubscription).where(PushSubscription.id == subscription_id))


def subscribed(session: Session, contact: Contact | Shown) -> bool:
    return bool(session.scalar(select(told_of(contact.id))))


def told_of(contact_id: Any) -> Exists:
    """Whether a phone gets news of the contact (an id, or the column in a query), in SQL."""
    return exists().where(PushSubscription.contact_id == contact_id)
