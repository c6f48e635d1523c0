"""Where a message is, derived from its events: the one reading of a contact's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from app.models import Contact, ContactEvent


class Stage(IntEnum):
    """Where a message is, in the order a child sees it move."""

    SENT = 1
    READ = 2
    WITH_PERSON = 3
    TALKED = 4
    SORTING = 5
    FINISHED = 6


OPEN = frozenset(Stage) - {Stage.FINISHED}


@dataclass(frozen=True)
class Update:
    at: dt.datetime
    text: str


@dataclass
class Reply:
    """An answer written to the child in the app; `read_at` is when the child opened it."""

    id: int
    at: dt.datetime
    text: str
    read_at: dt.datetime | None = None


@dataclass
class Question:
    """ "More information asked": the question the child sees, and when they answered it (the
    answer itself is never shown back on the status page)."""

    id: int
    at: dt.datetime
    text: str
    answered_at: dt.datetime | None = None


@dataclass
class Status:
    """What the child may see: never their own words (phones are shared).

    `person_role` is a role's code (`senior_manager`); the page says it in words."""

    stage: Stage = Stage.SENT
    person_name: str = ""
    person_role: str = ""
    due_at: dt.datetime | None = None
    updates: list[Update] = field(default_factory=list)
    outcome: str = ""
    feedback_given: bool = False
    additions: int = 0
    spoken_to: bool = False  # a conversation: "spoke to the child", or a question asked them
    failed_tries: int = 0
    close_proposed: bool = False
    handed_over: bool = False  # to the formal complaint process, Stage 1 (contacts/fairness.py)
    replies: list[Reply] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    # The first time the child was reached, the moment the 48-hour promise is judged by and
    # after which the first-contact rule lets staff share: see `replay`.
    first_contact_at: dt.datetime | None = None

    @property
    def reached(self) -> bool:
        return self.first_contact_at is not None

    @property
    def reached_in_app(self) -> bool:
        """Reached only by the app: a reply opened or a question answered, no conversation."""
        return self.reached and not self.spoken_to

    @property
    def reply_unread_since(self) -> dt.datetime | None:
        return min((r.at for r in self.replies if r.read_at is None), default=None)

    @property
    def last_reply(self) -> Reply | None:
        return self.replies[-1] if self.replies else None

    def question(self, event_id: object) -> Question | None:
        return next((q for q in self.questions if q.id == event_id), None)

    @property
    def can_add(self) -> bool:
        return self.stage is not Stage.FINISHED

    @property
    def feedback_open(self) -> bool:
        return self.stage is Stage.FINISHED and not self.feedback_given


@dataclass(frozen=True)
class Happened:
    """An event as the status page reads it, a row rather than an ORM object: what `replay`
    and the page use of a ContactEvent, under the same names."""

    id: int
    kind: str
    at: dt.datetime
    actor: str | None
    text: str | None
    details: dict[str, Any]


@dataclass(frozen=True)
class Person:
    """The person a contact is allocated to, as the status page reads them."""

    name: str
    email: str


@dataclass(frozen=True)
class Shown:
    """A contact as its status page reads it (contacts.contact_shown): what `status` and the
    page use of a Contact, under the same names, and nothing else (never the child's words)."""

    id: int
    reference: str
    due_at: dt.datetime
    allocated_to: Person | None
    events: list[Happened]


def replay(events: Iterable[ContactEvent | Happened], due_at: dt.datetime | None = None) -> Status:
    """The status after these events, in order.

    The child is reached (the first contact: DESIGN.md, "The 48-hour clock" and "The
    first-contact rule") when staff speak to them, or ask them for more information and reach
    them doing it; and, for a child the app is the only way back to, when they open a reply
    written to them in the app (the app records it) or answer a question asked there. A reply
    nobody has opened reaches nobody: it is not a conversation, however promptly it was sent.
    """
    current = Status(due_at=due_at)
    before_closing = Stage.SENT

    def reached(at: dt.datetime) -> None:
        nonlocal before_closing
        if current.first_contact_at is None or at < current.first_contact_at:
            current.first_contact_at = at
        if current.stage is Stage.FINISHED:
            before_closing = max(before_closing, Stage.TALKED)
        else:
            current.stage = max(current.stage, Stage.TALKED)

    for event in events:
        kind = event.kind
        if kind == "more_info_asked":
            current.stage = max(current.stage, Stage.READ)
            if event.text:  # a question the child can read and answer in the app
                current.questions.append(Question(event.id, event.at, event.text))
            if event.details.get("reached"):
                current.spoken_to = True
                reached(event.at)
        elif kind == "read":
            current.stage = max(current.stage, Stage.READ)
        elif kind == "allocated":
            current.stage = max(current.stage, Stage.WITH_PERSON)
            current.person_name = str(event.details.get("name", ""))
            current.person_role = str(event.details.get("role", ""))
        elif kind == "spoke_to_child":
            current.spoken_to = True
            reached(event.at)
        elif kind == "replied_in_app":
            current.replies.append(Reply(event.id, event.at, event.text or ""))
        elif kind == "reply_read":
            for reply in current.replies:
                if reply.read_at is None:
                    reply.read_at = event.at
            reached(event.at)
        elif kind == "contact_failed":
            current.failed_tries += 1
        elif kind == "update_for_child":
            current.stage = max(current.stage, Stage.SORTING)
            current.updates.append(Update(event.at, event.text or ""))
        elif kind == "close_proposed":
            current.close_proposed = True
        elif kind == "closed":
            before_closing = current.stage
            current.stage = Stage.FINISHED
            current.outcome = event.text or ""
            current.close_proposed = False
        elif kind == "reopened" and current.stage is Stage.FINISHED:
            current.stage = before_closing
        elif kind == "feedback_given":
            current.feedback_given = True
        elif kind == "child_added":
            current.additions += 1
            question = current.question(event.details.get("question"))
            if question is not None and question.answered_at is None:
                question.answered_at = event.at
                reached(event.at)
        elif kind == "handed_over":
            current.handed_over = True
    return current


def status(contact: Contact | Shown) -> Status:
    """The child's view of the contact, derived from its events in order."""
    return replay(contact.events, contact.due_at)
