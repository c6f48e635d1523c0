"""Forty wrong guesses at once get no more checks than the throttles allow.

Measured on the code before the throttles (the contact's miss counter read, then written, in
Python): 40 simultaneous wrong guesses at one reference made 40, 38, 26, 35 and 40 comparisons
in five runs, where 5 were allowed. SQLite runs one writer at a time, so the race is
PostgreSQL's to lose.
"""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from collections.abc import Callable

import pytest
from flask import Flask

from app import contacts, staff_accounts, throttle
from app.contacts import access
from app.extensions import db
from tests.helpers import make_contact
from tests.staff_helpers import make_staff

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
THREADS = 40
postgresql_only = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
# Forty requests, each on its own connection: what they commit must be seen by the others.
racing = pytest.mark.commits


class Tally:
    """Counts calls to a function from many threads."""

    def __init__(self, real: Callable[..., bool]) -> None:
        self.real, self.calls, self.lock = real, 0, threading.Lock()

    def __call__(self, *args: object) -> bool:
        with self.lock:
            self.calls += 1
        return self.real(*args)


def at_once(app: Flask, one_try: Callable[[int], object]) -> list[object]:
    """Run `one_try(n)` in THREADS threads released together, each with its own session and
    its own commit, as THREADS requests would; the outcomes (results or exceptions)."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = []

    def request(n: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                outcomes.append(one_try(n))
                db.session.commit()
            except BaseException as error:
                outcomes.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=request, args=(n,)) for n in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes


def guesser(reference: str, address: Callable[[int], str]) -> Callable[[int], object]:
    def one_try(n: int) -> object:
        try:
            return contacts.open_with_words(
                db.session(),
                reference,
                "wrong words here",
                new_secret=f"s{n}",
                address=address(n),
                now=NOW,
            )
        except contacts.Locked as locked:
            return locked

    return one_try


@racing
@postgresql_only
def test_forty_guesses_at_once_from_one_address_get_three_checks(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    contact = make_contact()
    compared = Tally(access._words_match)
    monkeypatch.setattr(access, "_words_match", compared)
    outcomes = at_once(app, guesser(contact.reference, lambda n: "198.51.100.7"))
    assert compared.calls == contacts.LOOKUP_PER_ADDRESS.free == 3
    assert outcomes.count(None) == 3  # wrong, and said so
    refused = [o for o in outcomes if isinstance(o, contacts.Locked)]
    assert len(refused) == THREADS - 3 and not any(o.everywhere for o in refused)


@racing
@postgresql_only
def test_forty_guesses_at_once_from_forty_addresses_get_twenty_checks(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    contact = make_contact()
    compared = Tally(access._words_match)
    monkeypatch.setattr(access, "_words_match", compared)
    outcomes = at_once(app, guesser(contact.reference, lambda n: f"198.51.100.{n}"))
    assert compared.calls == contacts.LOOKUP_PER_REFERENCE.free == 20
    refused = [o for o in outcomes if isinstance(o, contacts.Locked)]
    assert len(refused) == THREADS - 20 and all(o.everywhere for o in refused)
    # Closed to other phones for a day, even with the right words.
    with pytest.raises(contacts.Locked) as locked:
        contacts.open_with_words(
            db.session(),
            contact.reference,
            "apple tiger river",
            new_secret="x",
            address="a",
            now=NOW,
        )
    assert locked.value.until == NOW + dt.timedelta(days=1)


@racing
@postgresql_only
def test_forty_wrong_sign_ins_at_once_from_one_address_get_five_checks(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = make_staff("customer_relations").email  # read here: threads share no objects
    checked = Tally(staff_accounts.password_matches)
    monkeypatch.setattr(staff_accounts, "password_matches", checked)

    def one_try(n: int) -> object:
        try:
            return staff_accounts.sign_in(
                db.session(),
                email,
                "a wrong password",
                "123456",
                address="198.51.100.7",
                now=NOW,
                zone=zoneinfo.ZoneInfo("Europe/London"),
                service="Tell Us",
            )
        except throttle.Throttled as throttled:
            return throttled

    outcomes = at_once(app, one_try)
    assert checked.calls == staff_accounts.SIGN_IN_PAIR.free == 5
    assert outcomes.count(None) == 5
    assert sum(isinstance(o, throttle.Throttled) for o in outcomes) == THREADS - 5
