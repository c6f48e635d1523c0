"""Deadline reminders: once when a contact is due within 8 working hours, once when it is due.

Asked of the one lateness rule, so a contact is either due soon or late in a round, never
both: a worker that first runs after a deadline sends "due now" alone.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.contacts import lateness, mail
from app.contacts.lateness import Lateness
from app.contacts.office import Office
from app.models import Contact
from app.roles import Role

LABELS = {Lateness.DUE_SOON: "soon", Lateness.LATE: "due"}


def queue(session: Session, now: dt.datetime, office: Office) -> int:
    """Write the reminders now due to the outbox; how many were added."""
    window = lateness.Window.at(now, office.clock)
    state = lateness.sql(window)
    heads = mail.heads_of_service(session)
    waiting = session.execute(
        select(Contact, state).where(
            state.in_([Lateness.DUE_SOON.value, Lateness.LATE.value]),
            Contact.received_at <= now,
        )
    )
    added = 0
    for contact, found in waiting:
        people = list(heads)
        person = contact.allocated_to
        if (
            person is not None
            and person.role == Role.SENIOR_MANAGER.value
            and person.disabled_at is None
        ):
            people.append(person)
        added += mail.reminder(session, contact, LABELS[Lateness(found)], people, office, now)
    return added
