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


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load(session: Session, token: str | None) -> dict[str, Any]:
    if not token:
        return {}
    draft = session.scalar(select(Draft).where(Draft.token_hash == _hash(token)))
    return dict(draft.answers) if draft else {}


def save(session: Session, token: str, answers: dict[str, Any], now: dt.datetime) -> None:
    draft = session.scalar(select(Draft).where(Draft.token_hash == _hash(token)))
    if draft is None:
        session.execute(delete(Draft).where(Draft.updated_at < now - KEPT_FOR))
        session.add(Draft(token_hash=_hash(token), answers=answers, updated_at=now))
    else:
        draft.answers = answers
        draft.updated_at = now


def discard(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(Draft).where(Draft.token_hash == _hash(token)))
