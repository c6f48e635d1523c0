"""Messages being written: kept between pages on the server, found by a token in the session.

So the journey works without JavaScript and nothing the child types sits in a cookie. A draft
goes when the message is sent, at the quick exit, and a week after it was last touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import Draft

KEPT_FOR = dt.timedelta(days=7)
READ = "drafts read"  # Session.info's key for the drafts `load` found, by token hash


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load(session: Session, token: str | None) -> dict[str, Any]:
    if not token:
        return {}
    token_hash = _hash(token)
    draft = session.scalar(select(Draft).where(Draft.token_hash == token_hash))
    if draft is None:
        return {}
    # Held for `save`: the session itself keeps only a weak reference.
    session.info.setdefault(READ, {})[token_hash] = draft
    return dict(draft.answers)


def _read_already(session: Session, token_hash: str) -> Draft | None:
    """The draft this transaction has read already (`load`, as every answer's page does before
    it saves), so saving it asks the database nothing more (issue 15); None when it has not,
    or when the copy held has expired (after a commit) and might be out of date."""
    held: Draft | None = session.info.get(READ, {}).get(token_hash)
    if held is None or held not in session or held.__dict__.get("token_hash") != token_hash:
        return None
    return held


def save(session: Session, token: str, answers: dict[str, Any], now: dt.datetime) -> None:
    token_hash = _hash(token)
    draft = _read_already(session, token_hash) or session.scalar(
        select(Draft).where(Draft.token_hash == token_hash)
    )
    if draft is None:
        session.execute(delete(Draft).where(Draft.updated_at < now - KEPT_FOR))
        session.add(Draft(token_hash=token_hash, answers=answers, updated_at=now))
    else:
        draft.answers = answers
        draft.updated_at = now


def discard(session: Session, token: str | None) -> None:
    if token:
        session.info.get(READ, {}).pop(_hash(token), None)
        session.execute(delete(Draft).where(Draft.token_hash == _hash(token)))
