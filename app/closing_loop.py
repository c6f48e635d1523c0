"""Closing the loop: what IROs record at reviews, and "you said, we did" items for children.

Rules only (no request): the staff face parses its forms and calls these; the child face lists
what is published. Everything here is anonymised by design: no name, no contact, no words of a
child. Items are plain text, kept as typed and escaped when shown (never sanitised).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.contacts.text import has_visible_words, kept
from app.models import PromiseAwareness, StaffUser, YouSaidWeDid

AGE_BANDS = ("under_5", "5_to_9", "10_plus")
ITEM_LIMIT = 500
# An item is read by every child in the app: an email address or a phone number (9 digits or
# more, spaces and dashes allowed) in it is refused. Names cannot be told from words; the form
# says to leave them out.
CONTACT_DETAILS = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+|\d(?:[\s-]?\d){8,}")


class Problem(StrEnum):
    IN_THE_FUTURE = "in_the_future"
    UNKNOWN_AGE_BAND = "unknown_age_band"
    UNKNOWN_PROMISE = "unknown_promise"
    WORDS_NEEDED = "words_needed"
    NO_SUCH_ITEM = "no_such_item"
    CONTACT_DETAILS = "contact_details"


class Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def record_awareness(
    session: Session,
    *,
    reviewed_on: dt.date,
    age_band: str,
    shared: bool,
    by: StaffUser,
    now: dt.datetime,
    today: dt.date,
) -> PromiseAwareness:
    """At a child's review: has their current social worker shared and talked about the
    promise with them? The date, the age band and yes or no; never a name."""
    if reviewed_on > today:
        raise Refused(Problem.IN_THE_FUTURE)
    if age_band not in AGE_BANDS:
        raise Refused(Problem.UNKNOWN_AGE_BAND)
    answer = PromiseAwareness(
        reviewed_on=reviewed_on,
        age_band=age_band,
        shared=shared,
        recorded_at=now,
        recorded_by_id=by.id,
    )
    session.add(answer)
    session.flush()
    audit.record(
        session, "awareness_recorded", now=now, staff=by, details={"awareness_id": answer.id}
    )
    return answer


def write_item(
    session: Session,
    *,
    promise_key: str,
    you_said: str,
    we_did: str,
    promise_keys: Sequence[str],
    by: StaffUser,
    now: dt.datetime,
) -> YouSaidWeDid:
    """A draft "you told us..., so we..." item, linked to a promise (or "other")."""
    if promise_key not in (*promise_keys, "other"):
        raise Refused(Problem.UNKNOWN_PROMISE)
    said, did = kept(you_said, ITEM_LIMIT), kept(we_did, ITEM_LIMIT)
    if not has_visible_words(said) or not has_visible_words(did):
        raise Refused(Problem.WORDS_NEEDED)
    if CONTACT_DETAILS.search(said) or CONTACT_DETAILS.search(did):
        raise Refused(Problem.CONTACT_DETAILS)
    item = YouSaidWeDid(
        promise_key=promise_key, you_said=said, we_did=did, written_at=now, written_by_id=by.id
    )
    session.add(item)
    session.flush()
    audit.record(session, "you_said_written", now=now, staff=by, details={"item_id": item.id})
    return item


def publish_item(
    session: Session, item_id: int, *, by: StaffUser, now: dt.datetime, publish: bool = True
) -> YouSaidWeDid:
    """Children see the item in the app from now on (or no longer, with publish=False)."""
    item = session.get(YouSaidWeDid, item_id)
    if item is None:
        raise Refused(Problem.NO_SUCH_ITEM)
    item.published_at = now if publish else None
    audit.record(
        session,
        "you_said_published" if publish else "you_said_withdrawn",
        now=now,
        staff=by,
        details={"item_id": item.id},
    )
    return item


def items(session: Session, *, published_only: bool) -> Sequence[YouSaidWeDid]:
    """Newest first: what children see (published), or every item for staff."""
    query = select(YouSaidWeDid)
    if published_only:
        query = query.where(YouSaidWeDid.published_at.is_not(None)).order_by(
            YouSaidWeDid.published_at.desc(), YouSaidWeDid.id.desc()
        )
    else:
        query = query.order_by(YouSaidWeDid.written_at.desc(), YouSaidWeDid.id.desc())
    return session.scalars(query.limit(200)).all()


def published_between(
    session: Session, start: dt.datetime, end: dt.datetime
) -> Sequence[YouSaidWeDid]:
    """The items published in a period and still published, oldest first: what changed, for
    the young people's version of the report."""
    query = (
        select(YouSaidWeDid)
        .where(YouSaidWeDid.published_at >= start, YouSaidWeDid.published_at < end)
        .order_by(YouSaidWeDid.published_at, YouSaidWeDid.id)
    )
    return session.scalars(query.limit(200)).all()
