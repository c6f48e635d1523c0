"""Recording what happens to a contact: one door for every event, the child's and staff's.

`record` checks that the event makes sense in the contact's current stage (`WHEN`) and
under the rules that protect the child, then writes, in the caller's transaction, the event,
the columns derived from the history (stage, urgent, allocated person, first contact), the
audit row and every email the event causes. No page decides any of these.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app import audit
from app.contacts import fairness, lateness, mail, news
from app.contacts.intake import only_in_app
from app.contacts.office import Office
from app.contacts.refusals import Refusal, Refused
from app.contacts.status import OPEN, Stage, Status, replay, status
from app.contacts.text import SHORT_LIMIT, has_visible_words, kept
from app.models import Contact, ContactEvent, ContactTheme, StaffUser
from app.roles import SENIOR, Role
from app.words import memorable_words

ANY = frozenset(Stage)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
CLOSED = frozenset({Stage.FINISHED})

# Each event: the stages it may be recorded in, and the refusal outside them.
WHEN: dict[str, tuple[frozenset[Stage], Refusal]] = {
    "read": (frozenset({Stage.SENT}), Refusal.ALREADY_READ),
    "more_info_asked": (OPEN, Refusal.FINISHED),
    "allocated": (OPEN, Refusal.FINISHED),
    "contact_failed": (OPEN, Refusal.FINISHED),
    "spoke_to_child": (OPEN, Refusal.FINISHED),
    "safeguarding_concern": (ANY, Refusal.FINISHED),
    "shared": (ANY, Refusal.FINISHED),
    "praise_passed_on": (ANY, Refusal.FINISHED),
    "note": (ANY, Refusal.FINISHED),
    "update_for_child": (OPEN, Refusal.FINISHED),
    "close_proposed": (OPEN, Refusal.ALREADY_CLOSED),
    "closed": (OPEN, Refusal.ALREADY_CLOSED),
    "feedback_asked": (CLOSED, Refusal.NOT_FINISHED),
    "feedback_given": (CLOSED, Refusal.NOT_FINISHED),
    "reopened": (CLOSED, Refusal.NOT_FINISHED),
    "child_added": (OPEN, Refusal.FINISHED),
    # A child who does not feel safe always reaches a person, whatever the stage.
    "child_not_safe": (ANY, Refusal.FINISHED),
    # Staff mark an open contact urgent, with the reason (at logging, or later).
    "marked_urgent": (OPEN, Refusal.FINISHED),
    # Taken off again, with the reason, by a senior role: a child left waiting behind a
    # mistaken mark is as wrong as an urgent one lost in the list.
    "urgent_lifted": (OPEN, Refusal.FINISHED),
    # A reference and new words for the app, for a child staff logged a contact for: they
    # can follow it there, and answer "How did we do?" there, even after it is finished.
    "app_words_given": (ANY, Refusal.FINISHED),
    # The team, or the member of staff, the child's praise or complaint is about.
    "about_recorded": (OPEN, Refusal.FINISHED),
    # To the formal complaint process (Stage 1), with the child's agreement: reopen first.
    "handed_over": (OPEN, Refusal.FINISHED),
    # An answer written to a child the app is the only way back to (see `reply_refused`).
    "replied_in_app": (OPEN, Refusal.FINISHED),
    # The app records it when the child opens their status page showing a reply they have
    # not read: that reaches them, even on a contact closed meanwhile (it is a fact).
    "reply_read": (ANY, Refusal.FINISHED),
}
EVENT_KINDS = frozenset({"sent", *WHEN})
# Telling anyone else about the contact: refused until the child has been spoken to.
SHARING = frozenset({"shared", "praise_passed_on"})
# When something happened can be said by staff for these; it is "now" for the rest.
DATED = frozenset(
    {"spoke_to_child", "contact_failed", "more_info_asked", "feedback_given", "handed_over"}
)
# Closing without having spoken to the child needs one of these reasons.
CLOSE_REASONS = ("could_not_reach", "child_asked_to_stop")
FEEDBACK_ANSWERS = ("yes", "not_sure", "no")
MANAGERS = frozenset({Role.SENIOR_MANAGER, Role.HEAD_OF_SERVICE})
# What counts as an update on an allocated contact: staff doing something the child sees, or a
# try to reach them (the head of service's "no update for N working days").
UPDATES = frozenset(
    {
        "read",
        "more_info_asked",
        "allocated",
        "contact_failed",
        "spoke_to_child",
        "update_for_child",
        "replied_in_app",
    }
)


@dataclass(frozen=True)
class By:
    """Who records an event: a member of staff, or the child (staff is None)."""

    staff: StaffUser | None = None
    role: str | None = None  # the staff member's role, unless given here

    @property
    def name(self) -> str:
        if self.staff is not None:
            return self.staff.email
        return "staff" if self.role else "child"

    @property
    def role_now(self) -> str | None:
        return self.role or (self.staff.role if self.staff else None)


CHILD = By()


def may_share(contact: Contact) -> bool:
    """The first-contact rule: "We will speak to you first before we talk to anyone else. The
    only time we would not stick to this is if you tell us something that makes us worried
    for your safety." So: once the child has been reached (spoken to, or, for a child only
    the app reaches, a reply opened or a question answered: `status.replay`), or after a
    safeguarding concern recorded with its reason by a senior role."""
    if status(contact).reached:
        return True
    return any(
        event.kind == "safeguarding_concern" and event.text and event.details.get("role") in SENIOR
        for event in contact.events
    )


def reply_refused(contact: Contact) -> Refusal | None:
    """Why staff may not answer this child in the app, or None when they may.

    "Replied in the app" counts as reaching the child once they open it, so it is for a child
    the app is the only way back to: anonymous, or who chose no phone, email or person to
    reach them through. A customer relations officer with a phone number in front of them is
    expected to ring: the promise is to talk with the child, and a note they may never open
    must not stop the clock while a call was possible (an update for the child is there for
    news in the app). And the child must be able to open it: a contact logged from a call has
    an app only once the child was given a reference and words."""
    if not only_in_app(contact.reach):
        return Refusal.CHILD_HAS_OTHER_WAY
    if contact.channel != "app" and not any(e.kind == "app_words_given" for e in contact.events):
        return Refusal.NOT_IN_APP
    return None


@dataclass
class Proposed:
    kind: str
    at: dt.datetime
    by: By
    details: dict[str, Any]
    text: str | None
    office: Office


def _check_shared(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    if event.kind == "praise_passed_on":
        if contact.kind != "praise":
            raise Refused(Refusal.NOT_PRAISE)
        # Who the thank-you is emailed to: the person praised and their manager.
        to = [str(a).strip() for a in event.details.get("to") or [] if str(a).strip()]
        if any(not EMAIL.fullmatch(address) for address in to):
            raise Refused(Refusal.BAD_EMAIL)
        event.details["to"] = list(dict.fromkeys(to))
        if contact.praise_may_pass_on:
            return  # the child said in the form that their thanks may go straight away
    if not may_share(contact):
        raise Refused(Refusal.SPEAK_TO_CHILD_FIRST)


def _check_safeguarding(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    if event.by.role_now not in SENIOR:
        raise Refused(Refusal.SENIOR_ROLE_NEEDED)
    if not has_visible_words(event.text or ""):
        raise Refused(Refusal.REASON_NEEDED)
    event.details["role"] = event.by.role_now


def _check_closed(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    if now.reached:  # spoken to, or reached in the app (a reply opened, a question answered)
        event.details.pop("reason", None)
        return
    reason = event.details.get("reason")
    if reason not in CLOSE_REASONS:
        raise Refused(Refusal.NOT_SPOKEN_TO)
    if reason == "could_not_reach" and not now.failed_tries:
        raise Refused(Refusal.NO_TRIES_RECORDED)


def _check_urgent(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    if contact.urgent:
        raise Refused(Refusal.ALREADY_URGENT)
    if not has_visible_words(event.text or ""):
        raise Refused(Refusal.REASON_NEEDED)


def _check_urgent_lifted(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    if not contact.urgent:
        raise Refused(Refusal.NOT_URGENT)
    if event.by.role_now not in SENIOR:
        raise Refused(Refusal.SENIOR_ROLE_NEEDED)
    if not has_visible_words(event.text or ""):
        raise Refused(Refusal.REASON_NEEDED)


def _check_allocated(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    person = fairness.account(session, event.details.get("staff_id"))
    if person is None or person.disabled_at is not None or person.role not in MANAGERS:
        raise Refused(Refusal.UNKNOWN_STAFF)
    unfair = fairness.unfair(contact, person)
    if unfair is not None:
        raise Refused(unfair)
    # The name is a fact of the moment; the role a code the child's page puts into words.
    event.details = {"staff_id": person.id, "name": person.name, "role": person.role}


def _check_feedback(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    if now.feedback_given:
        raise Refused(Refusal.FEEDBACK_ALREADY_GIVEN)
    if event.kind == "feedback_given" and any(
        event.details.get(question) not in FEEDBACK_ANSWERS
        for question in ("listened", "heard", "happy")
    ):
        raise Refused(Refusal.UNKNOWN_ANSWER)
    if event.kind == "feedback_given" and event.by.staff is not None:
        # The child's answers, taken by staff (on the phone, say): who asked them. The
        # answers are the same fields as the app's, so the report counts both together.
        asked_by = kept(str(event.details.get("asked_by") or ""), SHORT_LIMIT)
        event.details["asked_by"] = asked_by or event.by.staff.name


def _check_about(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    event.details = fairness.check_about(session, contact, event.office, event.details)


def _check_hand_over(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    event.details = fairness.check_hand_over(contact, now, event.details, event.by.staff)


def _check_reply(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    refusal = reply_refused(contact)
    if refusal is not None:
        raise Refused(refusal)
    if not has_visible_words(event.text or ""):
        raise Refused(Refusal.WORDS_NEEDED)


def _check_reply_read(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    if event.by.role_now is not None:
        raise Refused(Refusal.CHILD_ONLY)  # only the child's own opening reaches them
    if now.reply_unread_since is None:
        raise Refused(Refusal.NOTHING_UNREAD)


def _check_child_added(session: Session, contact: Contact, now: Status, event: Proposed) -> None:
    """An answer to a question staff asked: tied to it, once."""
    if "question" not in event.details:
        return
    question = now.question(event.details["question"])
    if question is None:
        raise Refused(Refusal.UNKNOWN_QUESTION)
    if question.answered_at is not None:
        raise Refused(Refusal.ALREADY_ANSWERED)
    event.details = {"question": question.id}


CHECKS: dict[str, Callable[[Session, Contact, Status, Proposed], None]] = {
    "replied_in_app": _check_reply,
    "reply_read": _check_reply_read,
    "child_added": _check_child_added,
    "shared": _check_shared,
    "praise_passed_on": _check_shared,
    "safeguarding_concern": _check_safeguarding,
    "closed": _check_closed,
    "allocated": _check_allocated,
    "marked_urgent": _check_urgent,
    "urgent_lifted": _check_urgent_lifted,
    "feedback_asked": _check_feedback,
    "feedback_given": _check_feedback,
    "about_recorded": _check_about,
    "handed_over": _check_hand_over,
}


def allowed(contact: Contact, kind: str) -> bool:
    """Whether `kind` may be recorded in the contact's current stage (for offering buttons;
    `record` decides, with the other rules too)."""
    stages, _ = WHEN.get(kind, (frozenset(), Refusal.UNKNOWN_EVENT))
    return status(contact).stage in stages


def record(
    session: Session,
    contact: Contact,
    kind: str,
    *,
    now: dt.datetime,
    office: Office,
    by: By = CHILD,
    details: dict[str, Any] | None = None,
    text: str | None = None,
    at: dt.datetime | None = None,
) -> ContactEvent:
    """Add an event to the contact's history (events are never changed or removed), with its
    consequences, or raise Refused and write nothing."""
    if kind not in WHEN:
        raise Refused(Refusal.UNKNOWN_EVENT)
    current = replay(contact.events, contact.due_at)
    stages, refusal = WHEN[kind]
    if current.stage not in stages:
        raise Refused(refusal)
    happened = at if (at is not None and kind in DATED) else now
    if happened > now:
        raise Refused(Refusal.IN_THE_FUTURE)
    if happened < contact.received_at:
        raise Refused(Refusal.BEFORE_THE_MESSAGE)
    proposed = Proposed(kind, happened, by, dict(details or {}), kept(text or "") or None, office)
    if kind == "child_added" and not proposed.text:
        raise Refused(Refusal.NO_WORDS)
    check = CHECKS.get(kind)
    if check is not None:
        check(session, contact, current, proposed)
    if by.role_now is not None:
        proposed.details["role_of_actor"] = by.role_now
    event = ContactEvent(
        kind=kind, at=happened, actor=by.name, details=proposed.details, text=proposed.text
    )
    contact.events.append(event)
    _derive(contact, event)
    contact.first_contact_minutes = _working_minutes(office, contact)
    session.flush()  # the event's id, for the keys of the emails it causes
    if kind == "closed":  # the report's themes, one row each (app/reports.py)
        for theme in dict.fromkeys(event.details.get("themes") or []):
            session.add(
                ContactTheme(
                    event_id=event.id, theme=theme, contact_id=contact.id, closed_at=event.at
                )
            )
    _consequences(session, contact, event, office, now, by)
    news.status_changed(session, contact, current, event, now, by_child=by.name == "child")
    return event


def _derive(contact: Contact, event: ContactEvent) -> None:
    """The columns the tracker sorts and filters by, from the history just extended."""
    now = status(contact)
    contact.stage = now.stage.value
    if event.kind == "allocated":
        contact.allocated_to_id = event.details["staff_id"]
    if event.kind in {"child_not_safe", "marked_urgent"}:
        contact.urgent = True
    elif event.kind == "urgent_lifted":
        contact.urgent = False
    if event.kind == "app_words_given":
        # New words replace any given before: the old ones stop opening it. The face shows
        # them once to the member of staff who gave them (never in an event or an email).
        contact.memorable_words = memorable_words()
    contact.first_contact_at = now.first_contact_at
    contact.reply_unread_since = now.reply_unread_since
    if event.kind == "about_recorded":
        contact.about_team = event.details.get("team")
    if event.kind == "close_proposed":
        contact.close_proposed_at = event.at
    elif event.kind == "closed":
        contact.close_proposed_at = None
    if event.kind in UPDATES and (
        contact.last_update_at is None or contact.last_update_at < event.at
    ):
        contact.last_update_at = event.at
    contact.tracker_rank = lateness.rank(contact)


def _working_minutes(office: Office, contact: Contact) -> int | None:
    """Working time from the message to the first contact, for the report's percentiles."""
    if contact.first_contact_at is None:
        return None
    spent = office.clock.working_time_between(contact.received_at, contact.first_contact_at)
    return int(spent.total_seconds() // 60)


def _consequences(
    session: Session,
    contact: Contact,
    event: ContactEvent,
    office: Office,
    now: dt.datetime,
    by: By,
) -> None:
    session.expire(contact, ["allocated_to"])  # its key may have just changed
    if event.kind == "allocated" and contact.allocated_to is not None:
        mail.allocated(session, contact, contact.allocated_to, event.id, office, now)
    elif event.kind == "child_not_safe":
        mail.not_safe(session, contact, event.id, office, now)
    elif event.kind == "marked_urgent":
        mail.marked_urgent(session, contact, event.id, office, now)
    elif event.kind == "child_added":
        answered = "question" in event.details
        mail.child_added(session, contact, event.id, office, now, answered=answered)
    elif event.kind == "close_proposed":
        mail.close_proposed(session, contact, event.id, office, now)
    elif event.kind == "praise_passed_on":
        mail.praise_passed_on(session, contact, event.id, office, now, event.details["to"])
    elif event.kind == "handed_over":
        mail.handed_over(session, contact, event.id, office, now)
    audit.record(
        session,
        f"event:{event.kind}",
        now=now,
        staff=by.staff,
        actor=by.name,
        contact=contact,
        details={"event_id": event.id},
    )


def add_to_message(
    session: Session,
    contact: Contact,
    text: str,
    now: dt.datetime,
    office: Office,
    *,
    question: int | None = None,
) -> ContactEvent:
    """ "I forgot to say...": the child adds to their message until it is finished. With
    `question`, the addition answers that question ("more information asked"), once."""
    details = {} if question is None else {"question": question}
    return record(
        session, contact, "child_added", now=now, office=office, text=text, details=details
    )


def read_replies(
    session: Session, contact: Contact, now: dt.datetime, office: Office
) -> ContactEvent | None:
    """The child has opened their status page showing replies they had not read: recorded
    once (the first contact, if it is one). None when there was nothing unread."""
    if status(contact).reply_unread_since is None:
        return None
    return record(session, contact, "reply_read", now=now, office=office)


def mark_not_safe(
    session: Session, contact: Contact, now: dt.datetime, office: Office
) -> ContactEvent:
    """The child says they do not feel safe right now: a person looks at this first."""
    return record(session, contact, "child_not_safe", now=now, office=office)


def give_feedback(
    session: Session,
    contact: Contact,
    *,
    listened: str,
    heard: str,
    happy: str,
    words: str,
    now: dt.datetime,
    office: Office,
) -> ContactEvent:
    """ "How did we do?": answered once, when the contact is finished."""
    return record(
        session,
        contact,
        "feedback_given",
        now=now,
        office=office,
        details={"listened": listened, "heard": heard, "happy": happy},
        text=words or None,
    )
