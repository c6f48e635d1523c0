"""Kept only as long as needed (issue 14, point 8).

A finished contact keeps the child's words and how to reach them for a number of days after it
was closed (council.toml, `retention.days_after_closing`); then they are removed, with every
free text of its history (the child's additions, staff updates and notes, the closing words)
and the search hashes of names and phone numbers. What the report counts stays: kind, channel,
age band, who helped, the praised person's role, the promises, the deadline and the first
contact, the themes and the feedback answers, and the audit trail of who viewed it.

Push subscriptions go when the contact is finished. Device access (the cookies' hashes) goes
sooner than the words: once the contact is finished and the child has
answered "How did we do?" (nothing is left for them to see or do), or when the words go.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app import audit
from app.contacts.status import Stage
from app.models import Contact, ContactAccess, ContactEvent, ContactSearch, PushSubscription

# Staying under a statement's parameter limit however many are due at once.
BATCH = 500


@dataclass(frozen=True)
class Removed:
    words: int  # contacts whose words and contact details were removed
    accesses: int  # devices that could open a finished contact


def run(session: Session, *, now: dt.datetime, days_after_closing: int) -> Removed:
    """Remove what is no longer needed; the caller commits."""
    cutoff = now - dt.timedelta(days=days_after_closing)
    finished = Contact.stage == Stage.FINISHED.value
    closed_before = (
        select(ContactEvent.contact_id)
        .where(ContactEvent.kind == "closed")
        .group_by(ContactEvent.contact_id)
        .having(func.max(ContactEvent.at) <= cutoff)
    )
    due = session.scalars(
        select(Contact.id).where(
            finished, Contact.words_removed_at.is_(None), Contact.id.in_(closed_before)
        )
    ).all()
    for start in range(0, len(due), BATCH):
        ids = due[start : start + BATCH]
        for contact in session.scalars(select(Contact).where(Contact.id.in_(ids))):
            contact.message = {"words": "", "praise_name": "", "praise_role": ""}
            contact.reach = None
            contact.words_removed_at = now
            audit.record(
                session, "retention_removed_words", now=now, actor="retention", contact=contact
            )
        session.execute(
            update(ContactEvent)
            .where(ContactEvent.contact_id.in_(ids), ContactEvent.text.is_not(None))
            .values(text=None)
        )
        session.execute(delete(ContactSearch).where(ContactSearch.contact_id.in_(ids)))
    answered = select(ContactEvent.contact_id).where(ContactEvent.kind == "feedback_given")
    done = select(Contact.id).where(
        finished, (Contact.id.in_(answered)) | Contact.words_removed_at.is_not(None)
    )
    result = session.execute(delete(ContactAccess).where(ContactAccess.contact_id.in_(done)))
    accesses = getattr(result, "rowcount", 0)
    # Notifications stop when a contact is finished (app/contacts/news.py); any left behind
    # (a subscription racing the closing) go here.
    session.execute(
        delete(PushSubscription).where(
            PushSubscription.contact_id.in_(select(Contact.id).where(finished))
        )
    )
    session.flush()
    return Removed(len(due), int(accesses or 0))
