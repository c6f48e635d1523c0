"""The emails an event causes, written to the outbox in the event's own transaction.

Staff read these; they carry a reference and a link, never a child's words or how to reach
them. Each has a key made from what caused it, so it exists once however often it is asked.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import outbox
from app.contacts.office import Office
from app.models import Contact, StaffUser
from app.roles import Role

KIND_WORDS = {
    "kept_well": "a promise kept well",
    "not_kept": "a promise not kept",
    "praise": "praise for someone",
}
CHANNEL_WORDS = {"app": "the app", "phone": "phone", "email": "email", "in_person": "in person"}


def _send(session: Session, key: str, to: str, subject: str, body: str, now: dt.datetime) -> bool:
    return outbox.queue(session, key=key, recipient=to, subject=subject, body=body, now=now)


def new_contact(session: Session, contact: Contact, office: Office, now: dt.datetime) -> None:
    urgent = "URGENT: " if contact.urgent else ""
    _send(
        session,
        f"new:{contact.id}",
        office.mailbox,
        f"{urgent}New {office.service} message {contact.reference}",
        f"A new message ({KIND_WORDS.get(contact.kind, contact.kind)}) came in by "
        f"{CHANNEL_WORDS.get(contact.channel, contact.channel)}.\n\n"
        f"Reference: {contact.reference}\nOpen it: {office.link(contact)}\n",
        now,
    )


def allocated(
    session: Session,
    contact: Contact,
    staff: StaffUser,
    event_id: int,
    office: Office,
    now: dt.datetime,
) -> None:
    _send(
        session,
        f"allocated:{contact.id}:{event_id}",
        staff.email,
        f"{office.service} message {contact.reference} is yours",
        f"{staff.name}, the {office.service} message {contact.reference} has been allocated "
        "to you. "
        "Please speak to the child first, before anyone else.\n\n"
        f"Open it: {office.link(contact)}\n",
        now,
    )


def _mailbox_and_allocated(contact: Contact, office: Office) -> list[str]:
    people = [office.mailbox]
    if contact.allocated_to is not None and contact.allocated_to.disabled_at is None:
        people.append(contact.allocated_to.email)
    return list(dict.fromkeys(people))


def not_safe(
    session: Session, contact: Contact, event_id: int, office: Office, now: dt.datetime
) -> None:
    for to in _mailbox_and_allocated(contact, office):
        _send(
            session,
            f"not-safe:{contact.id}:{event_id}:{to}",
            to,
            f"URGENT: the child does not feel safe: {office.service} message {contact.reference}",
            f"The child who sent {office.service} message {contact.reference} pressed "
            '"I don\'t feel safe right now". Please look at it now.\n\n'
            f"Open it: {office.link(contact)}\n",
            now,
        )


def marked_urgent(
    session: Session, contact: Contact, event_id: int, office: Office, now: dt.datetime
) -> None:
    """The reason stays on the contact page: it may hold what the child said."""
    for to in _mailbox_and_allocated(contact, office):
        _send(
            session,
            f"urgent:{contact.id}:{event_id}:{to}",
            to,
            f"URGENT: {office.service} message {contact.reference} has been marked urgent",
            f"A member of staff marked the {office.service} message {contact.reference} urgent. "
            "Please look at it now: the reason is on the contact page.\n\n"
            f"Open it: {office.link(contact)}\n",
            now,
        )


def child_added(
    session: Session,
    contact: Contact,
    event_id: int,
    office: Office,
    now: dt.datetime,
    *,
    answered: bool = False,
) -> None:
    """The child added to their message, or answered the question staff asked them."""
    to = contact.allocated_to.email if contact.allocated_to is not None else office.mailbox
    did = "answered the question on" if answered else "added to"
    _send(
        session,
        f"added:{contact.id}:{event_id}",
        to,
        f"The child {did} {office.service} message {contact.reference}",
        f"The child who sent {office.service} message {contact.reference} has "
        f"{'answered the question we asked them' if answered else 'added to it'}.\n\n"
        f"Open it: {office.link(contact)}\n",
        now,
    )


def close_proposed(
    session: Session, contact: Contact, event_id: int, office: Office, now: dt.datetime
) -> None:
    """To customer relations' mailbox: the proposal's words stay on the contact page."""
    _send(
        session,
        f"close-proposed:{contact.id}:{event_id}",
        office.mailbox,
        f"Closing proposed for {office.service} message {contact.reference}",
        f"A senior manager proposes closing {office.service} message {contact.reference}: "
        "it needs customer relations to look at it and close it.\n\n"
        f"Open it: {office.link(contact)}\n",
        now,
    )


def handed_over(
    session: Session, contact: Contact, event_id: int, office: Office, now: dt.datetime
) -> None:
    """Only that it was handed over, its reference and its clock: the history stays here."""
    first = contact.received_at.astimezone(office.clock.zone)
    _send(
        session,
        f"handed-over:{contact.id}:{event_id}",
        office.complaints,
        f"{office.service} message {contact.reference} handed over to the complaint process",
        f"With the child's agreement, {office.service} message {contact.reference} has been "
        "handed over to the formal complaint process (Stage 1). The child first told us on "
        f"{first:%A} {first.day} {first:%B %Y} at {first:%H:%M}. Its history stays with it "
        f"in {office.service}.\n\nOpen it: {office.link(contact)}\n",
        now,
    )


REMINDER_WORDS = {
    "soon": "is due within 8 working hours",
    "due": "is due now: nobody has spoken to the child yet",
}


def reminder(
    session: Session,
    contact: Contact,
    label: str,
    recipients: list[StaffUser],
    office: Office,
    now: dt.datetime,
) -> int:
    words = REMINDER_WORDS[label]
    return sum(
        _send(
            session,
            f"reminder-{label}:{contact.id}:{person.id}",
            person.email,
            f"{office.service} message {contact.reference} {words}",
            f"The {office.service} message {contact.reference} {words}.\n\n"
            f"Open it: {office.link(contact)}\n",
            now,
        )
        for person in recipients
    )


def heads_of_service(session: Session) -> list[StaffUser]:
    return list(
        session.scalars(
            select(StaffUser).where(
                StaffUser.role == Role.HEAD_OF_SERVICE.value, StaffUser.disabled_at.is_(None)
            )
        )
    )


def praise_passed_on(
    session: Session,
    contact: Contact,
    event_id: int,
    office: Office,
    now: dt.datetime,
    to: list[str],
) -> None:
    """A child's thank-you, to the person praised and their manager: that a child in our care
    wanted them thanked, never the child's words, name or how to reach them."""
    for address in to:
        _send(
            session,
            f"praise:{contact.id}:{event_id}:{address}",
            address,
            f"A thank-you from a child, through {office.service}",
            "A child or young person in our care told us that you worked hard for them, and "
            "asked us to say thank you. Thank you.\n\n"
            "To keep the child's privacy this email does not say who they are or what they "
            f"wrote. {office.service} can tell you more if the child agreed to it.\n",
            now,
        )
