"""Fair and joined up (issue 10, point 9): what a contact is about, who may not be given it,
and its hand-over to the council's formal complaint process.

Staff record the team where the child said it happened, and, when a praise or complaint
names a member of staff who has an account, that account ("about_recorded"; the latest
one stands). Nobody is allocated a contact about their own team or about themselves.

A complaint ("not kept") can be handed over to the formal complaint process (Stage 1) once
somebody has spoken to the child and the child has agreed ("handed_over": who asked, when,
the child's answer). What the hand-over includes: the contact stays here, open, with its
whole history (nothing is copied out: the complaints address is told only that it was handed
over, its reference, when the child first told us, and a link for staff with an account);
its 48-hour clock and whether it was met stand as they were, and the complaint's own clock
runs from when the child first told us. The child's status page says so in plain words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.contacts.office import Office
from app.contacts.refusals import Refusal, Refused
from app.contacts.status import Status
from app.contacts.text import SHORT_LIMIT, kept
from app.models import Contact, StaffUser

# The largest id a database integer column holds: a bigger number names nobody.
LARGEST_ID = 2**31 - 1


def account(session: Session, staff_id: object) -> StaffUser | None:
    """The staff account with this id, or None for anything that names nobody."""
    if not isinstance(staff_id, int) or isinstance(staff_id, bool):
        return None
    return session.get(StaffUser, staff_id) if 0 < staff_id <= LARGEST_ID else None


@dataclass(frozen=True)
class About:
    team: str | None = None
    staff_id: int | None = None


def about(contact: Contact) -> About:
    """The team and the member of staff the contact is about, as last recorded."""
    for event in reversed(contact.events):
        if event.kind == "about_recorded":
            return About(event.details.get("team"), event.details.get("staff_id"))
    return About()


def unfair(contact: Contact, person: StaffUser) -> Refusal | None:
    """Why `person` may not be given this contact, or None."""
    found = about(contact)
    if found.staff_id is not None and person.id == found.staff_id:
        return Refusal.ABOUT_THEM
    if found.team is not None and person.team == found.team:
        return Refusal.ABOUT_THEIR_TEAM
    return None


def fair_choices(contact: Contact, people: Iterable[StaffUser]) -> list[StaffUser]:
    return [person for person in people if unfair(contact, person) is None]


def check_about(
    session: Session, contact: Contact, office: Office, details: dict[str, object]
) -> dict[str, object]:
    """The recorded facts, checked: a team of the council's, an account that exists."""
    team = str(details.get("team") or "") or None
    if team is not None and team not in office.teams:
        raise Refused(Refusal.UNKNOWN_TEAM)
    staff_id = details.get("staff_id") or None
    person = account(session, staff_id)
    if staff_id is not None and person is None:
        raise Refused(Refusal.UNKNOWN_STAFF)
    # Names as they are now, for the timeline; the keys are what the rules read.
    return {
        "team": team,
        "team_name": office.teams[team] if team else None,
        "staff_id": person.id if person else None,
        "person": person.name if person else None,
    }


def check_hand_over(
    contact: Contact, now: Status, details: dict[str, object], staff: StaffUser | None
) -> dict[str, object]:
    if contact.kind != "not_kept":
        raise Refused(Refusal.NOT_A_COMPLAINT)
    if now.handed_over:
        raise Refused(Refusal.ALREADY_HANDED_OVER)
    if not now.spoken_to:
        raise Refused(Refusal.ASK_THE_CHILD_FIRST)
    if details.get("agreed") != "yes":
        raise Refused(Refusal.CHILD_DID_NOT_AGREE)
    asked_by = kept(str(details.get("asked_by") or ""), SHORT_LIMIT)
    return {"agreed": "yes", "asked_by": asked_by or (staff.name if staff else "")}
