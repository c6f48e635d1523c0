"""Throttles: waits that grow after repeated wrong tries, counted in the database.

Used for a child opening a message with its reference and words (app/contacts/access.py)
and for staff signing in (app/staff_accounts.py). Every app server shares the count, and a
race cannot slip past it:

- A try is counted *before* it is checked, by one `INSERT ... ON CONFLICT DO UPDATE ...
  RETURNING` (PostgreSQL, and SQLite 3.35+), and the wait it would earn if it turns out wrong
  is written at once, in the same transaction. The row stays locked until that transaction
  ends, so simultaneous tries are counted one after another: the one that starts a wait
  holds the row until the wait is written, and every try after it is refused unchecked.
- A try that is refused is not counted anywhere (the counting runs in a savepoint), so
  hammering a closed door does not close any other door.
- A right answer takes its own try back (`forgive`) or forgets the wrong tries (`clear`).

A count starts again `window` after its first wrong try; a wait never ends early.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import case, delete, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import Throttle, UTCDateTime

# Rows older than this, with no wait running, are forgotten (`forget_old`). It is longer than
# any policy's window, so forgetting a row never shortens a count.
FORGET_AFTER = dt.timedelta(days=8)


@dataclass(frozen=True)
class Policy:
    """`free` wrong tries without a wait; then `first_wait`, doubling after each further
    wrong try, never longer than `longest_wait`; the count starts again after `window`."""

    free: int
    first_wait: dt.timedelta
    longest_wait: dt.timedelta
    window: dt.timedelta

    def __post_init__(self) -> None:
        if self.free < 1 or self.window > FORGET_AFTER:
            raise ValueError("a policy needs at least one free try and a window FORGET_AFTER holds")

    def wait_after(self, failures: int) -> dt.timedelta | None:
        """The wait after this many wrong tries in the window, or None for no wait yet."""
        if failures < self.free:
            return None
        doublings = min(failures - self.free, 40)  # past 40, longest_wait has long won
        wait: dt.timedelta = self.first_wait * 2**doublings
        return min(wait, self.longest_wait)


class Throttled(Exception):
    """A wait is running for `key`: try again at `until` (nothing was checked)."""

    def __init__(self, key: str, until: dt.datetime) -> None:
        super().__init__(until.isoformat())
        self.key = key
        self.until = until


@dataclass
class Counted:
    """The tries one attempt counted, so a right answer can take them back."""

    keys: list[str]
    # The keys on which this try started a wait (it will stand if the try is wrong).
    waits: set[str] = field(default_factory=set)
    # The keys on which this try began the window's first wait: "now being throttled".
    first_waits: set[str] = field(default_factory=set)


def key(*parts: str) -> str:
    """A row's key: a hash, so no address or email sits in the table in clear."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _count_one(session: Session, key_hash: str, policy: Policy, now: dt.datetime) -> int | None:
    """Count a try on `key_hash` and return the count, or None if a wait is running."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    expired = Throttle.window_started_at <= now - policy.window
    statement = (
        insert(Throttle)
        .values(key_hash=key_hash, failures=1, window_started_at=now, wait_until=None)
        .on_conflict_do_update(
            index_elements=[Throttle.key_hash],
            set_={
                "failures": case((expired, 1), else_=Throttle.failures + 1),
                "window_started_at": case(
                    (expired, literal(now, UTCDateTime())), else_=Throttle.window_started_at
                ),
            },
            where=or_(Throttle.wait_until.is_(None), Throttle.wait_until <= now),
        )
        .returning(Throttle.failures)
    )
    failures: int | None = session.execute(statement).scalar()
    return failures


def attempt(session: Session, counts: Sequence[tuple[str, Policy]], now: dt.datetime) -> Counted:
    """Count one try on every key, in the order given, or raise Throttled and count none.

    Callers give the keys in one fixed order (narrowest first), so two tries that share
    rows always lock them in the same order and cannot deadlock.
    """
    for _ in range(3):  # a wait that ends, or a row cleared, between two statements: again
        counted = Counted(keys=[key_hash for key_hash, _policy in counts])
        savepoint = session.begin_nested()
        refused: str | None = None
        for key_hash, policy in counts:
            failures = _count_one(session, key_hash, policy, now)
            if failures is None:
                refused = key_hash
                break
            wait = policy.wait_after(failures)
            if wait is not None:
                session.execute(
                    update(Throttle)
                    .where(Throttle.key_hash == key_hash)
                    .values(wait_until=now + wait)
                )
                counted.waits.add(key_hash)
                if failures == policy.free:
                    counted.first_waits.add(key_hash)
        if refused is None:
            savepoint.commit()
            return counted
        savepoint.rollback()
        until = session.scalar(select(Throttle.wait_until).where(Throttle.key_hash == refused))
        if until is not None and until > now:
            raise Throttled(refused, until)
    raise RuntimeError("a throttle row kept changing under this try")  # pragma: no cover


def forgive(session: Session, counted: Counted, keys: Iterable[str]) -> None:
    """The try was right: take it back from these keys' counts, and any wait it started."""
    for key_hash in keys:
        assert key_hash in counted.keys
        values: dict[str, object] = {"failures": Throttle.failures - 1}
        if key_hash in counted.waits:
            values["wait_until"] = None  # before this try no wait was running, or it was refused
        session.execute(update(Throttle).where(Throttle.key_hash == key_hash).values(values))


def clear(session: Session, keys: Iterable[str]) -> None:
    """Forget every wrong try on these keys: someone has just shown they are the rightful one."""
    session.execute(delete(Throttle).where(Throttle.key_hash.in_(list(keys))))


def forget_old(session: Session, now: dt.datetime) -> int:
    """Delete rows that no longer hold anything back; the outbox worker calls this."""
    result = session.execute(
        delete(Throttle).where(
            Throttle.window_started_at < now - FORGET_AFTER,
            or_(Throttle.wait_until.is_(None), Throttle.wait_until <= now),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
