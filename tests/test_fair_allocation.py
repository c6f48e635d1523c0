"""Fair (issue 10, point 9): nobody is allocated a contact about their own team or about
themselves. Staff record what a contact is about; the rules refuse an unfair allocation in
words, and the allocation form offers only fair choices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import select

from app import MIGRATIONS, contacts, labels
from app.contacts import Refusal
from app.council import CouncilError, load
from app.extensions import db
from app.models import Contact
from tests.helpers import COUNCIL, csrf_token, make_contact, record, soup
from tests.staff_helpers import make_staff, signed_in_client

NOW = dt.datetime(2026, 11, 23, 11, tzinfo=dt.UTC)
TEAM, OTHER_TEAM = COUNCIL.staff.teams[0], COUNCIL.staff.teams[1]


def manager_in(team: str | None, name: str = "") -> object:
    person = make_staff("senior_manager", name)
    person.team = team
    db.session.commit()
    return person


def test_the_rules_refuse_someone_in_the_team_it_is_about_or_the_person(app: Flask) -> None:
    same_team, other_team, named = (
        manager_in(TEAM.key),
        manager_in(OTHER_TEAM.key),
        manager_in(None),
    )
    contact = make_contact()
    record(
        contact,
        "about_recorded",
        now=NOW,
        role="customer_relations",
        details={"team": TEAM.key, "staff_id": named.id},
    )
    for person, refusal in ((same_team, Refusal.ABOUT_THEIR_TEAM), (named, Refusal.ABOUT_THEM)):
        with pytest.raises(contacts.Refused) as refused:
            record(
                contact,
                "allocated",
                now=NOW,
                role="head_of_service",
                details={"staff_id": person.id},
            )
        assert refused.value.code is refusal
    record(
        contact, "allocated", now=NOW, role="head_of_service", details={"staff_id": other_team.id}
    )
    assert contact.allocated_to_id == other_team.id


def test_what_it_is_about_must_be_a_team_and_an_account_that_exist(app: Flask) -> None:
    contact = make_contact()
    for details, refusal in (
        ({"team": "nowhere"}, Refusal.UNKNOWN_TEAM),
        ({"staff_id": 10**6}, Refusal.UNKNOWN_STAFF),
        ({"staff_id": 2**70}, Refusal.UNKNOWN_STAFF),  # more than a database integer holds
    ):
        with pytest.raises(contacts.Refused) as refused:
            record(contact, "about_recorded", now=NOW, role="customer_relations", details=details)
        assert refused.value.code is refusal
    event = record(
        contact, "about_recorded", now=NOW, role="customer_relations", details={"team": TEAM.key}
    )
    assert event.details["team_name"] == TEAM.name  # the name then, for the timeline


def test_the_latest_record_stands(app: Flask) -> None:
    in_team = manager_in(TEAM.key)
    contact = make_contact()
    record(
        contact, "about_recorded", now=NOW, role="customer_relations", details={"team": TEAM.key}
    )
    record(contact, "about_recorded", now=NOW, role="customer_relations", details={"team": None})
    record(contact, "allocated", now=NOW, role="head_of_service", details={"staff_id": in_team.id})


def test_the_allocation_form_offers_only_fair_choices(app: Flask) -> None:
    relations, _ = signed_in_client(app, "customer_relations")
    head, _ = signed_in_client(app, "head_of_service")
    in_team = manager_in(TEAM.key, "Pat In-Team")
    elsewhere = manager_in(OTHER_TEAM.key, "Kim Elsewhere")
    contact = make_contact()
    token = csrf_token(relations.get("/staff/sign-in").get_data(as_text=True))
    recorded = relations.post(
        f"/staff/contacts/{contact.id}/about",
        data={"about-csrf_token": token, "about-team": TEAM.key, "about-staff_id": "0"},
    )
    assert recorded.status_code == 303
    page = soup(relations.get(f"/staff/contacts/{contact.id}"))
    assert TEAM.name in page.select_one(".timeline").get_text()

    offered = soup(head.get(f"/staff/contacts/{contact.id}")).select("#allocate-staff_id option")
    names = [option.get_text() for option in offered]
    assert any("Kim Elsewhere" in name for name in names)
    assert not any("Pat In-Team" in name for name in names)

    token = csrf_token(head.get("/staff/sign-in").get_data(as_text=True))
    forged = head.post(
        f"/staff/contacts/{contact.id}/allocate",
        data={"allocate-csrf_token": token, "allocate-staff_id": str(in_team.id)},
    )
    assert forged.status_code == 409
    with app.test_request_context():
        words = str(labels.STAFF_REFUSALS[Refusal.ABOUT_THEIR_TEAM])
    assert words in soup(forged).select_one(".error-summary").get_text()
    fair = head.post(
        f"/staff/contacts/{contact.id}/allocate",
        data={"allocate-csrf_token": token, "allocate-staff_id": str(elsewhere.id)},
    )
    assert fair.status_code == 303


def test_the_page_says_when_it_is_already_with_someone_it_is_about(app: Flask) -> None:
    head, _ = signed_in_client(app, "head_of_service")
    person = manager_in(TEAM.key)
    contact = make_contact()
    record(contact, "allocated", now=NOW, role="head_of_service", details={"staff_id": person.id})
    record(
        contact, "about_recorded", now=NOW, role="customer_relations", details={"team": TEAM.key}
    )
    db.session.commit()
    text = soup(head.get(f"/staff/contacts/{contact.id}")).get_text(" ")
    assert "allocate it to someone else" in text


def test_a_council_names_each_team_once(tmp_path: Path) -> None:
    source = Path(__file__).parent.parent / "app" / "council.toml"
    text = (
        source.read_text()
        + f'\n[[staff.teams]]\nkey = "{load().staff.teams[0].key}"\nname = "Again"\n'
    )
    broken = tmp_path / "council.toml"
    broken.write_text(text)
    with pytest.raises(CouncilError, match="used twice"):
        load(broken, check_symbols=False)


@pytest.mark.commits  # Alembic migrates on connections of its own
def test_the_upgrade_fills_the_team_from_past_records(app: Flask) -> None:
    """Migration 0011: contacts recorded as about a team before the column existed are found
    by the tracker's team filter after the upgrade (the latest record stands)."""
    if db.engine.dialect.name == "sqlite":
        # As in test_retention_and_subject_access.py: SQLite's batch downgrade rebuilds the
        # contact table, which its foreign keys refuse while rows point at it.
        pytest.skip("downgrading a contact table with rows is PostgreSQL's to test")
    first, second = COUNCIL.staff.teams[0].key, COUNCIL.staff.teams[1].key
    moved, about, nothing = make_contact(), make_contact(), make_contact()
    for contact, team in ((moved, second), (moved, first), (about, second)):
        record(
            contact, "about_recorded", role="customer_relations", now=NOW, details={"team": team}
        )
    ids = (moved.id, about.id, nothing.id)
    # Nothing read after the commit: a read would hold a lock the downgrade waits on.
    db.session.commit()
    flask_migrate.downgrade(directory=str(MIGRATIONS), revision="0010")
    flask_migrate.upgrade(directory=str(MIGRATIONS))
    db.session.expire_all()
    found = dict(
        db.session.execute(select(Contact.id, Contact.about_team).where(Contact.id.in_(ids))).all()
    )
    assert found == {ids[0]: first, ids[1]: second, ids[2]: None}
