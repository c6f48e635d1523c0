"""Where a message is, derived from its events: the one reading of a contact's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum

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
    spoken_to: bool = False
    failed_tries: int = 0
    close_proposed: bool = False

    @property
    def can_add(self) -> bool:
        return self.stage is not Stage.FINISHED

    @property
    def feedback_open(self) -> bool:
        return self.stage is Stage.FINISHED and not self.feedback_given


def replay(events: Iterable[ContactEvent], due_at: dt.datetime | None = None) -> Status:
    """The status after these events, in order."""
    current = Status(due_at=due_at)
    before_closing = Stage.SENT
    for event in events:
        kind = event.kind
        if kind in {"read", "more_info_asked"}:
            current.stage = max(current.stage, Stage.READ)
        elif kind == "allocated":
            current.stage = max(current.stage, Stage.WITH_PERSON)
            current.person_name = str(event.details.get("name", ""))
            current.person_role = str(event.details.get("role", ""))
        elif kind == "spoke_to_child":
            current.stage = max(current.stage, Stage.TALKED)
            current.spoken_to = True
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
    return current


def status(contact: Contact) -> Status:
    """The child's view of the contact, derived from its events in order."""
    return replay(contact.events, contact.due_at)
