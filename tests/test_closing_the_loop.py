"""Closing the loop: promise awareness recorded by IROs, "you said, we did" from staff to the
child's app, and praise passed on through the outbox only under the first-contact rule."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from app import contacts
from app.extensions import db
from app.models import AuditEvent, OutboxMessage, PromiseAwareness, YouSaidWeDid
from tests.helpers import (
    A_PROMISE,
    COUNCIL,
    choose,
    csrf_token,
    make_contact,
    post_form,
    record,
    soup,
)
from tests.staff_helpers import signed_in_client

NOW = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)


def test_an_iro_records_awareness_without_a_name(app: Flask) -> None:
    app.config["FIXED_NOW"] = NOW
    client, iro = signed_in_client(app, "iro")
    assert client.get("/staff/").headers["Location"].endswith("/staff/awareness")
    page = soup(client.get("/staff/awareness"))
    assert {field["name"] for field in page.select("form input")} == {
        "csrf_token",
        "reviewed_on",
        "age_band",
        "shared",
    }
    response = post_form(
        client, "/staff/awareness", reviewed_on="2026-02-27", age_band="5_to_9", shared="yes"
    )
    assert response.status_code == 303
    found = db.session.scalars(select(PromiseAwareness)).one()
    assert (found.reviewed_on, found.age_band, found.shared) == (
        dt.date(2026, 2, 27),
        "5_to_9",
        True,
    )
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "awareness_recorded"))
        .one()
        .staff_id
        == iro.id
    )


def test_what_iros_record_is_the_reports_rate_by_month(app: Flask) -> None:
    app.config["FIXED_NOW"] = NOW
    iro, _ = signed_in_client(app, "iro")
    for n, day in enumerate(("2026-02-02", "2026-02-10", "2026-02-20", "2026-02-27", "2026-03-01")):
        response = post_form(
            iro,
            "/staff/awareness",
            reviewed_on=day,
            age_band="10_plus",
            shared="no" if n == 0 else "yes",
        )
        assert response.status_code == 303
    head, _ = signed_in_client(app, "head_of_service")
    page = soup(head.get("/staff/reports", query_string={"from": "2026-02-01"}))
    months = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in page.select("#table-awareness tbody tr")
    ]
    assert months == [["February 2026", "3", "4", "75%"], ["March 2026", "1", "1", "100%"]]
    summary = page.select_one("#figure-awareness dd").get_text(strip=True)
    assert summary == "4 of 5 (80%)"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"reviewed_on": "2026-03-03", "age_band": "10_plus", "shared": "no"},
            "cannot be in the future",
        ),
        (
            {"reviewed_on": "", "age_band": "10_plus", "shared": "no"},
            "Enter the date of the review",
        ),
        ({"reviewed_on": "2026-03-01", "age_band": "adult", "shared": "no"}, "age band"),
        ({"reviewed_on": "2026-03-01", "age_band": "10_plus"}, "Choose yes or no"),
    ],
)
def test_an_awareness_answer_that_cannot_be_is_refused_in_words(
    app: Flask, fields: dict[str, str], message: str
) -> None:
    app.config["FIXED_NOW"] = NOW
    client, _ = signed_in_client(app, "iro")
    response = post_form(client, "/staff/awareness", **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(PromiseAwareness)).all() == []


@pytest.mark.parametrize("role", ["head_of_service", "vic"])
def test_you_said_we_did_from_staff_to_every_child_page(app: Flask, role: str) -> None:
    app.config["FIXED_NOW"] = NOW
    client, _ = signed_in_client(app, role)
    said, did = "The <b>bus</b> pass took weeks & weeks", "now it comes in 3 days"
    response = post_form(
        client, "/staff/you-said-we-did", promise_key=A_PROMISE, you_said=said, we_did=did
    )
    assert response.status_code == 303
    item = db.session.scalars(select(YouSaidWeDid)).one()
    assert item.you_said == said  # kept as typed, never sanitised
    child = app.test_client()
    assert said not in child.get("/you-said-we-did").get_data(as_text=True)  # not yet published
    token = csrf_token(client.get("/staff/you-said-we-did").get_data(as_text=True))
    response = client.post(f"/staff/you-said-we-did/{item.id}/publish", data={"csrf_token": token})
    assert response.status_code == 303
    for age in ("under_5", "5_to_9", "10_plus"):
        for symbols in (False, True):
            choose(child, age, symbols)
            page = child.get("/you-said-we-did")
            text = page.get_data(as_text=True)
            assert "The &lt;b&gt;bus&lt;/b&gt; pass took weeks &amp; weeks" in text, (age, symbols)
            assert "<b>bus</b>" not in text
            shown = soup(page)
            assert did in shown.main.get_text()
            assert bool(shown.select(".you-said img.symbol")) is symbols, (age, symbols)
    response = client.post(f"/staff/you-said-we-did/{item.id}/withdraw", data={"csrf_token": token})
    assert said not in child.get("/you-said-we-did").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert {"you_said_written", "you_said_published", "you_said_withdrawn"} <= set(actions)


def test_an_item_without_words_or_with_an_unknown_promise_is_refused(app: Flask) -> None:
    client, _ = signed_in_client(app, "vic")
    response = post_form(
        client, "/staff/you-said-we-did", promise_key=A_PROMISE, you_said="\u200b ", we_did="x"
    )
    assert response.status_code == 400
    response = post_form(
        client, "/staff/you-said-we-did", promise_key="nope", you_said="a", we_did="b"
    )
    assert response.status_code == 400
    assert db.session.scalars(select(YouSaidWeDid)).all() == []


@pytest.mark.parametrize(
    ("said", "did"),
    [
        ("Email jo.b@example.org if the bus is late", "we fixed the buses"),
        ("Nobody answered", "ring Sam on 07700 900 123 now"),
        ("Nobody answered", "ring Sam on 0113-222-3333 now"),
    ],
)
def test_an_item_with_contact_details_is_refused(app: Flask, said: str, did: str) -> None:
    client, _ = signed_in_client(app, "vic")
    response = post_form(
        client, "/staff/you-said-we-did", promise_key=A_PROMISE, you_said=said, we_did=did
    )
    assert response.status_code == 400
    assert "Take out the email address or phone number" in response.get_data(as_text=True)
    assert db.session.scalars(select(YouSaidWeDid)).all() == []


def test_dates_and_small_numbers_are_not_contact_details(app: Flask) -> None:
    client, _ = signed_in_client(app, "vic")
    response = post_form(
        client,
        "/staff/you-said-we-did",
        promise_key=A_PROMISE,
        you_said="From 2026-02-03 it took 14 days",
        we_did="now 3 days, and 150 pounds more",
    )
    assert response.status_code == 303


def pass_on(contact: contacts.Contact, to: list[str]) -> object:  # type: ignore[name-defined]
    return record(
        contact,
        "praise_passed_on",
        now=NOW,
        role="head_of_service",
        details={"who": "Sam Example", "to": to},
    )


def thank_yous() -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("praise:%")))
    )


def test_praise_goes_through_the_outbox_only_once_the_rule_allows(app: Flask) -> None:
    words = "Sam stayed late to help me with my college form"
    waiting = make_contact("praise", received=NOW - dt.timedelta(hours=2), words=words)
    with pytest.raises(contacts.Refused, match="speak_to_child_first"):
        pass_on(waiting, ["sam@council.example"])
    db.session.rollback()
    assert thank_yous() == []
    record(waiting, "spoke_to_child", role="customer_relations", now=NOW)
    pass_on(waiting, ["sam@council.example", "manager@council.example"])
    db.session.commit()
    sent = thank_yous()
    assert sorted(m.recipient for m in sent) == ["manager@council.example", "sam@council.example"]
    for message in sent:
        assert words not in message.body and waiting.reference not in message.body
        assert COUNCIL.staff.short_name in message.body


def test_praise_the_child_let_go_straight_away_needs_no_conversation(app: Flask) -> None:
    straight = make_contact("praise", received=NOW - dt.timedelta(hours=2), praise_may_pass_on=True)
    pass_on(straight, ["sam@council.example"])
    db.session.commit()
    assert [m.recipient for m in thank_yous()] == ["sam@council.example"]


def test_a_thank_you_to_an_address_that_cannot_be_one_is_refused(app: Flask) -> None:
    straight = make_contact("praise", received=NOW - dt.timedelta(hours=2), praise_may_pass_on=True)
    with pytest.raises(contacts.Refused, match="bad_email"):
        pass_on(straight, ["not an address"])


def test_praise_passed_on_from_the_contact_page(app: Flask) -> None:
    app.config["FIXED_NOW"] = NOW
    straight = make_contact("praise", received=NOW - dt.timedelta(hours=2), praise_may_pass_on=True)
    client, _ = signed_in_client(app, "head_of_service")
    url = f"/staff/contacts/{straight.id}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(
        f"{url}/pass-praise-on",
        data={
            "pass-praise-on-csrf_token": token,
            "pass-praise-on-who": "Sam",
            "pass-praise-on-email": "sam@council.example",
            "pass-praise-on-manager_email": "manager@council.example",
        },
    )
    assert response.status_code == 303
    assert sorted(m.recipient for m in thank_yous()) == [
        "manager@council.example",
        "sam@council.example",
    ]
    # Counted in the report, once for the contact (not once for each email).
    report = soup(client.get("/staff/reports", query_string={"from": "2026-03-01"}))
    assert report.select_one("#figure-praise_passed_on dd").get_text(strip=True) == "1"
    bad = client.post(
        f"{url}/pass-praise-on",
        data={
            "pass-praise-on-csrf_token": token,
            "pass-praise-on-who": "Sam",
            "pass-praise-on-email": "sam",
        },
    )
    assert bad.status_code == 400 and "email address" in bad.get_data(as_text=True)


def test_the_admin_can_make_an_iro_account(app: Flask) -> None:
    client, _ = signed_in_client(app, "admin")
    page = soup(client.get("/staff/accounts/new"))
    roles = {field["value"] for field in page.select("input[name=role]")}
    assert "iro" in roles
    label = page.select_one(f"label[for={page.select_one('input[value=iro]')['id']}]")
    assert label.get_text(strip=True) == "Independent reviewing officer"
