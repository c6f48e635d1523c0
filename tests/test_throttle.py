"""Throttles, without HTTP: waits that grow, windows that end, refusals that count nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from app import notify, throttle
from app.extensions import db
from app.models import Throttle

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
POLICY = throttle.Policy(
    free=3, first_wait=MINUTE, longest_wait=dt.timedelta(minutes=10), window=dt.timedelta(days=1)
)


def test_waits_start_after_the_free_tries_double_and_stop_at_the_longest() -> None:
    # Written out by hand, not computed the way the code computes it.
    assert [POLICY.wait_after(n) for n in range(1, 9)] == [
        None,
        None,
        MINUTE,
        2 * MINUTE,
        4 * MINUTE,
        8 * MINUTE,
        10 * MINUTE,
        10 * MINUTE,
    ]
    assert POLICY.wait_after(10_000) == 10 * MINUTE


def test_a_policy_without_free_tries_is_refused() -> None:
    with pytest.raises(ValueError, match="free try"):
        throttle.Policy(free=0, first_wait=MINUTE, longest_wait=MINUTE, window=MINUTE)


def fail(key: str, at: dt.datetime, policy: throttle.Policy = POLICY) -> throttle.Counted:
    counted = throttle.attempt(db.session(), [(key, policy)], at)
    db.session.commit()
    return counted


def row(key: str) -> Throttle:
    db.session.expire_all()
    found = db.session.scalar(select(Throttle).where(Throttle.key_hash == key))
    assert found is not None
    return found


def test_tries_are_counted_and_a_wait_refuses_the_next_one(app: Flask) -> None:
    key = throttle.key("test", "here")
    assert [fail(key, NOW).first_waits for _ in range(2)] == [set(), set()]
    assert fail(key, NOW).first_waits == {key}  # the third starts the first wait
    with pytest.raises(throttle.Throttled) as refused:
        fail(key, NOW + 59 * dt.timedelta(seconds=1))
    assert refused.value.until == NOW + MINUTE and refused.value.key == key
    assert row(key).failures == 3  # the refused try was not counted
    counted = fail(key, NOW + MINUTE)  # the wait is over: the fourth try waits two minutes
    assert counted.first_waits == set() and counted.waits == {key}
    assert row(key).wait_until == NOW + 3 * MINUTE
    with pytest.raises(throttle.Throttled):
        fail(key, NOW + 2 * MINUTE)


def test_the_count_starts_again_after_its_window(app: Flask) -> None:
    key = throttle.key("test", "window")
    for _ in range(3):
        fail(key, NOW)
    later = NOW + dt.timedelta(days=1)
    fail(key, later)
    assert row(key).failures == 1 and row(key).window_started_at == later


def test_a_refused_try_counts_on_no_other_key(app: Flask) -> None:
    """Knocking on a closed door closes no other door: the counting is all or nothing."""
    narrow, wide = throttle.key("test", "narrow"), throttle.key("test", "wide")
    for _ in range(3):
        fail(narrow, NOW)
    for _ in range(5):
        with pytest.raises(throttle.Throttled) as refused:
            throttle.attempt(db.session(), [(wide, POLICY), (narrow, POLICY)], NOW)
        assert refused.value.key == narrow
        db.session.commit()
    assert db.session.scalar(select(Throttle).where(Throttle.key_hash == wide)) is None


def test_a_right_answer_takes_its_try_and_its_wait_back(app: Flask) -> None:
    key, other = throttle.key("test", "forgive"), throttle.key("test", "other")
    fail(key, NOW)
    fail(key, NOW)
    counted = throttle.attempt(db.session(), [(key, POLICY), (other, POLICY)], NOW)
    assert counted.waits == {key}  # had it been wrong, it would have started a wait
    throttle.forgive(db.session(), counted, [key])
    throttle.clear(db.session(), [other])
    db.session.commit()
    assert row(key).failures == 2 and row(key).wait_until is None
    assert db.session.scalar(select(Throttle).where(Throttle.key_hash == other)) is None
    fail(key, NOW)  # so the next try is still allowed


def test_old_rows_are_forgotten_unless_a_wait_is_running(app: Flask) -> None:
    spent, waiting = throttle.key("test", "spent"), throttle.key("test", "waiting")
    long_wait = throttle.Policy(
        free=1, first_wait=dt.timedelta(days=30), longest_wait=dt.timedelta(days=30), window=MINUTE
    )
    fail(spent, NOW)
    fail(waiting, NOW, long_wait)
    assert throttle.forget_old(db.session(), NOW + throttle.FORGET_AFTER) == 0
    assert throttle.forget_old(db.session(), NOW + 2 * throttle.FORGET_AFTER) == 1
    db.session.commit()
    assert [r.key_hash for r in db.session.scalars(select(Throttle))] == [waiting]


def test_keys_are_hashes() -> None:
    key = throttle.key("sign-in:pair", "192.0.2.7", "sam@council.example")
    assert len(key) == 64 and "192.0.2.7" not in key
    assert key != throttle.key("sign-in:pair", "192.0.2.", "7sam@council.example")


def test_the_outbox_worker_forgets_spent_throttles(app: Flask) -> None:
    key = throttle.key("test", "spent")
    fail(key, NOW)
    app.config["FIXED_NOW"] = NOW + 2 * throttle.FORGET_AFTER
    notify.run_once(app)
    db.session.expire_all()
    assert db.session.scalar(select(Throttle).where(Throttle.key_hash == key)) is None
