"""The emails an event causes, written to the outbox in the event's own transaction.

Staff read these; they carry a reference and a link, never a child's words or how to reach
them. Each has a key made from what caused it, so it exists once however often it is asked.
Their words are whole sentences through gettext, written in the service's own language
(`for_staff`) even when a child's request in another language caused them.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import outbox
from app.contacts.office import Office
from app.i18n import for_staff, long_date
from app.models import Contact, StaffUser
from app.roles import Role

KIND_WORDS = {
    "kept_well": _l("a promise kept well"),
    "not_kept": _l("a promise not kept"),
    "praise": _l("praise for someone"),
}
CHANNEL_WORDS = {
    "app": _l("the app"),
    "phone": _l("phone"),
    "email": _l("email"),
    "in_person": _l("in person"),
}


def _send(session: Session, key: str, to: str, subject: str, body: str, now: dt.datetime) -> bool:
    return outbox.queue(session, key=key, recipient=to, subject=subject, body=body, now=now)


def new_contact(session: Session, contact: Contact, office: Office, now: dt.datetime) -> None:
    key, subject, body = new_contact_email(contact, office, str(contact.id))
    _send(session, key, office.mailbox, subject, body, now)


@for_staff
def new_contact_email(contact: Contact, office: Office, contact_id: str) -> tuple[str, str, str]:
    """The new contact's email to the council's mailbox: its key, subject and body, with
    `contact_id` where the contact's id goes (PostgreSQL writes a contact and its email in one
    statement, before the id is known: intake.py puts it in there)."""
    words = {"service": office.service, "reference": contact.reference}
    return (
        f"new:{contact_id}",
        _("URGENT: New %(service)s message %(reference)s", **words)
        if contact.urgent
        else _("New %(service)s message %(reference)s", **words),
        _(
            "A new message (%(kind)s) came in by %(channel)s.\n\n"
            "Reference: %(reference)s\nOpen it: %(link)s\n",
            kind=KIND_WORDS.get(contact.kind, contact.kind),
            channel=CHANNEL_WORDS.get(contact.channel, contact.channel),
            reference=contact.reference,
            link=office.link_to(contact_id),
        ),
    )


@for_staff
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
        _("%(service)s message %(reference)s is yours", **_words(contact, office)),
        _(
            "%(name)s, the %(service)s message %(reference)s has been allocated to you. "
            "Please speak to the child first, before anyone else.\n\n"
            "Open it: %(link)s\n",
            name=staff.name,
            **_words(contact, office),
        ),
        now,
    )


def _words(contact: Contact, office: Office) -> dict[str, str]:
    """The placeholders nearly every email fills: the service, the reference and the link."""
    return {
        "service": office.service,
        "reference": contact.reference,
        "link": office.link(contact),
    }


def _mailbox_and_allocated(contact: Contact, office: Office) -> list[str]:
    people = [office.mailbox]
    if contact.allocated_to is not None and contact.allocated_to.disabled_at is None:
        people.append(contact.allocated_to.email)
    return list(dict.fromkeys(people))


@for_staff
def not_safe(
    session: Session, contact: Contact, event_id: int, office: Office, now: dt.datetime
) -> None:
    for to in _mailbox_and_allocated(contact, office):
        _send(
            session,
            f"not-safe:{contact.id}:{event_id}:{to}",
            to,
            _(
                "URGENT: the child does not feel safe: %(service)s message %(reference)s",
                **_words(contact, office),
            ),
            _(
                "The child who sent %(service)s message %(reference)s pressed "
                '"I don\'t feel safe right now". Please look at it now.\n\n'
                "Open it: %(link)s\n",
                **_words(contact, office),
            ),
            now,
        )


@for_staff
def marked_urgent(
    session: Session, contact: Contact, event_id: int, office: Office, now: dt.datetime
) -> None:
    """The reason stays on the contact page: it may hold what the child said."""
    for to in _mailbox_and_allocated(contact, office):
        _send(
            session,
            f"urgent:{contact.id}:{event_id}:{to}",
            to,
            _(
                "URGENT: %(service)s message %(reference)s has been marked urgent",
                **_words(contact, office),
            ),
            _(
                "A member of staff marked the %(service)s message %(reference)s urgent. "
                "Please look at it now: the reason is on the contact page.\n\n"
                "Open it: %(link)s\n",
                **_words(contact, office),
            ),
            now,
        )


@for_staff
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
    words = _words(contact, office)
    if answered:
        subject = _("The child answered the question on %(service)s message %(reference)s", **words)
        body = _(
            "The child who sent %(service)s message %(reference)s has answered the question we "
            "asked them.\n\nOpen it: %(link)s\n",
            **words,
        )
    else:
        subject = _("The child added to %(service)s message %(reference)s", **words)
        body = _(
            "The child who sent %(service)s message %(reference)s has added to it.\n\n"
            "Open it: %(link)s\n",
            **words,
        )
    _send(session, f"added:{contact.id}:{event_id}", to, subject, body, now)


@for_staff
def close_proposed(
    session: Session, contact: Contact, event_id: int, office: Office, now: dt.datetime
) -> None:
    """To customer relations' mailbox: the proposal's words stay on the contact page."""
    _send(
        session,
        f"close-proposed:{contact.id}:{event_id}",
        office.mailbox,
        _("Closing proposed for %(service)s message %(reference)s", **_words(contact, office)),
        _(
            "A senior manager proposes closing %(service)s message %(reference)s: it needs "
            "customer relations to look at it and close it.\n\nOpen it: %(link)s\n",
            **_words(contact, office),
        ),
        now,
    )


@for_staff
def handed_over(
    session: Session, contact: Contact, event_id: int, office: Office, now: dt.datetime
) -> None:
    """Only that it was handed over, its reference and its clock: the history stays here."""
    first = contact.received_at.astimezone(office.clock.zone)
    _send(
        session,
        f"handed-over:{contact.id}:{event_id}",
        office.complaints,
        _(
            "%(service)s message %(reference)s handed over to the complaint process",
            **_words(contact, office),
        ),
        _(
            "With the child's agreement, %(service)s message %(reference)s has been handed over "
            "to the formal complaint process (Stage 1). The child first told us on %(day)s at "
            "%(time)s. Its history stays with it in %(service)s.\n\nOpen it: %(link)s\n",
            day=long_date(first),
            time=f"{first:%H:%M}",
            **_words(contact, office),
        ),
        now,
    )


REMINDER_SUBJECTS = {
    "soon": _l("%(service)s message %(reference)s is due within 8 working hours"),
    "due": _l("%(service)s message %(reference)s is due now: nobody has spoken to the child yet"),
}
REMINDER_BODIES = {
    "soon": _l(
        "The %(service)s message %(reference)s is due within 8 working hours.\n\n"
        "Open it: %(link)s\n"
    ),
    "due": _l(
        "The %(service)s message %(reference)s is due now: nobody has spoken to the child yet."
        "\n\nOpen it: %(link)s\n"
    ),
}


@for_staff
def reminder(
    session: Session,
    contact: Contact,
    label: str,
    recipients: list[StaffUser],
    office: Office,
    now: dt.datetime,
) -> int:
    words = _words(contact, office)
    subject = str(REMINDER_SUBJECTS[label]) % words
    body = str(REMINDER_BODIES[label]) % words
    return sum(
        _send(
            session, f"reminder-{label}:{contact.id}:{person.id}", person.email, subject, body, now
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


@for_staff
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
            _("A thank-you from a child, through %(service)s", service=office.service),
            _(
                "A child or young person in our care told us that you worked hard for them, and "
                "asked us to say thank you. Thank you.\n\n"
                "To keep the child's privacy this email does not say who they are or what they "
                "wrote. %(service)s can tell you more if the child agreed to it.\n",
                service=office.service,
            ),
            now,
        )
