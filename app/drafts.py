"""Messages being written: kept between pages on the server, found by a token in the session.

So the journey works without JavaScript and nothing the child types sits in a cookie. A draft
goes when the message is sent, at the quick exit, and a week after it was last touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from app.models import Draft

KEPT_FOR = dt.timedelta(days=7)
# Read and written as rows, not as ORM objects: a draft is one value found by one key, and the
# ORM's identity map and unit of work took a fifth of every answer's CPU (issue 15). Still in
# the session's own transaction (Session.connection), so it commits or rolls back with it.
_TABLE = cast(Table, Draft.__table__)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load(session: Session, token: str | None) -> dict[str, Any]:
    if not token:
        return {}
    found = session.connection().execute(
        select(_TABLE.c.answers).where(_TABLE.c.token_hash == _hash(token))
    )
    answers = found.scalar_one_or_none()
    return dict(answers) if answers is not None else {}


def save(
    session: Session,
    token: str,
    answers: dict[str, Any],
    now: dt.datetime,
    *,
    unchanged: bool = False,
) -> None:
    """Keep `answers` as the draft's: one UPDATE for a draft already begun, else a new row
    (and the drafts nobody has touched for a week go). `unchanged`: the caller read these
    very answers in this transaction, so only the time it was touched is written (nothing to
    encrypt again, as the ORM did not write an unchanged value either)."""
    token_hash = _hash(token)
    connection = session.connection()
    written = {"updated_at": now} if unchanged else {"answers": answers, "updated_at": now}
    changed = connection.execute(
        update(_TABLE).where(_TABLE.c.token_hash == token_hash).values(**written)
    )
    if changed.rowcount == 0:
        connection.execute(delete(_TABLE).where(_TABLE.c.updated_at < now - KEPT_FOR))
        connection.execute(
            insert(_TABLE).values(token_hash=token_hash, answers=answers, updated_at=now)
        )


def discard(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(Draft).where(Draft.token_hash == _hash(token)))
