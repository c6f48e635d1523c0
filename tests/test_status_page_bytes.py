"""The status page, byte for byte, as it was before it was made cheaper (issue 15): every stage,
with and without replies, questions, updates, feedback and news, in every age band, symbols on
and off, and in Arabic, on this council. The pages are compared by their digests with those the
old code made (tests/status_pages.json, one set a council), after the parts that differ from one
run to the next are masked: the CSRF tokens, the reference, the questions' ids, the push key
(each machine makes its own, app/config.py), and the version in each style sheet's and
script's address (a digest of the file: a change to a sheet is not a change to the page).

STATUS_PAGES_WRITE=1 writes the digests afresh (only on code whose pages are known right); a page
that differs is written to STATUS_PAGES_DIFF (a folder) to be compared by eye."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import contacts
from app.contacts import news
from app.council import current as council
from app.extensions import db
from app.models import Contact
from tests.helpers import OFFICE, choose, csrf_token, make_contact, post_form, record
from tests.staff_helpers import make_staff

KNOWN = Path(__file__).with_name("status_pages.json")
RECEIVED = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)  # Monday 10:00: due Wednesday 10:00
AGES = ("under_5", "5_to_9", "10_plus")
VARIANTS = [(age, symbols, "en") for age in AGES for symbols in (False, True)] + [
    ("10_plus", False, "ar"),
    ("under_5", True, "ar"),
]
STAFF = {"role": "customer_relations"}


def at(hours: int) -> dt.datetime:
    return RECEIVED + dt.timedelta(hours=hours)


def masked(html: str, reference: str, contact: Contact) -> str:
    html = html.replace(reference, "REFERENCE")
    for number, event in enumerate(e for e in contact.events if e.kind == "more_info_asked"):
        for where in ("question-", "answer-", "/questions/"):
            html = html.replace(f"{where}{event.id}", f"{where}Q{number}")
    assert not re.search(r"(question-|answer-|/questions/)[0-9]", html)
    html = re.sub(r'(name="[a-zQ0-9-]*csrf_token"[^>]*value=")[^"]*', r"\1", html)
    html = re.sub(r"([?&](?:amp;)?v=)[0-9a-f]+", r"\1", html)
    return re.sub(r'( data-key=")[^"]*', r"\1", html)


Step = tuple[str, Callable[[Contact], object]]


def happen(kind: str, hours: int, **details: object) -> Callable[[Contact], object]:
    def done(contact: Contact) -> object:
        role = None if kind.startswith("child_") else STAFF["role"]
        return record(contact, kind, now=at(hours), role=role, **details)

    return done


def answer_first_question(contact: Contact) -> object:
    asked = next(e for e in contact.events if e.kind == "more_info_asked")
    return contacts.add_to_message(
        db.session(), contact, "Call after school.", at(30), OFFICE, question=asked.id
    )


def news_on(contact: Contact) -> object:
    return news.subscribe(
        db.session(), contact, "https://push.example/abc", "p256dh-key", "auth-key", at(2)
    )


def stories(person_id: int) -> dict[str, list[Step]]:
    """Each story's steps, the page looked at after each."""
    allocated = happen("allocated", 3, details={"staff_id": person_id})
    return {
        "talked": [
            ("sent", lambda c: None),
            ("news", news_on),
            ("add_error", lambda c: None),  # the page shown again: words sent empty
            ("not_safe_error", lambda c: None),  # and with no form token
            ("read", happen("read", 1)),
            ("allocated", allocated),
            ("someone_spoke", happen("spoke_to_child", 4)),
            ("update", happen("update_for_child", 5, text="We asked for a new visit.")),
            ("update2", happen("update_for_child", 6, text="The visit is on Friday.")),
            ("closed", happen("closed", 7, text="Your social worker now calls every Friday.")),
            (
                "feedback",
                lambda c: contacts.give_feedback(
                    db.session(),
                    c,
                    listened="yes",
                    heard="yes",
                    happy="no",
                    words="",
                    now=at(8),
                    office=OFFICE,
                ),
            ),
            ("reopened", happen("reopened", 9)),
        ],
        "in_app": [
            ("asked", happen("more_info_asked", 2, text="When is best to call you?")),
            ("answer_error", lambda c: None),
            ("replied", happen("replied_in_app", 3, text="We are on it. Sam.")),
            ("reply_read", lambda c: None),  # the page opened reads it: the flash, once
            ("answered", answer_first_question),
            ("asked_again", happen("more_info_asked", 31, text="Is Friday all right?")),
            ("replied_again", happen("replied_in_app", 32, text="Friday it is.")),
            ("closed", happen("closed", 40, text="Done.")),
        ],
        "named": [
            ("allocated", allocated),
            ("failed", happen("contact_failed", 4)),
            ("named_spoke", happen("spoke_to_child", 5, staff=None)),
            ("handed_over", happen("handed_over", 6, details={"agreed": "yes"})),
            ("close_proposed", happen("close_proposed", 7)),
        ],
    }


def shown(client: FlaskClient, contact: Contact, step: str) -> Any:
    """The page, or, for an `_error` step, the page shown again after a form sent wrong."""
    page = f"/messages/{contact.reference}"
    if step == "add_error":
        return post_form(client, page, f"{page}/add", words="")
    if step == "not_safe_error":
        return client.post(f"{page}/not-safe", data={})
    if step == "answer_error":
        asked = next(e for e in contact.events if e.kind == "more_info_asked")
        token = csrf_token(client.get(page).get_data(as_text=True))
        form = {f"answer-{asked.id}-csrf_token": token, f"answer-{asked.id}-words": ""}
        return client.post(f"{page}/questions/{asked.id}", data=form)
    return client.get(page)


def pages(app: Flask, age: str, symbols: bool, lang: str) -> Iterator[tuple[str, str]]:
    app.config["FIXED_NOW"] = at(50)
    person = make_staff("senior_manager", "Sam Patel")
    for story, steps in stories(person.id).items():
        client = app.test_client()
        rtl = lang == "ar"
        type(client).expect_lang, type(client).expect_dir = lang, "rtl" if rtl else "ltr"
        assert client.get(f"/language?lang={lang}&next=/").status_code == 303
        choose(client, age, symbols)
        contact = make_contact(received=RECEIVED)
        secret = contacts.new_access_secret()
        contacts.grant_access(db.session(), contact, secret, RECEIVED)
        db.session.commit()
        with client.session_transaction() as session:
            session["messages"] = [secret]
        for step, do in steps:
            if step == "named_spoke":
                record(contact, "spoke_to_child", now=at(5), staff=person)
            else:
                do(contact)
            db.session.commit()
            response = shown(client, contact, step)
            assert response.status_code == (400 if step == "not_safe_error" else 200), step
            db.session.expire_all()
            html = masked(response.get_data(as_text=True), contact.reference, contact)
            yield f"{council().council.name}/{story}/{step}/{age}/{symbols}/{lang}", html
        type(client).expect_lang, type(client).expect_dir = "en", "ltr"


@pytest.fixture(params=[True, False], ids=["kept", "afresh"])
def keep(app: Flask, request: pytest.FixtureRequest) -> Iterator[bool]:
    """With the parts of pages kept (app/kept_parts.py), each made once then shown again for
    the later steps, and without."""
    app.config["KEEP_PAGES"] = request.param
    yield request.param
    app.config["KEEP_PAGES"] = True


@pytest.mark.parametrize(("age", "symbols", "lang"), VARIANTS)
def test_the_status_page_is_byte_for_byte_what_it_was(
    app: Flask, keep: bool, age: str, symbols: bool, lang: str
) -> None:
    known = json.loads(KNOWN.read_text()) if KNOWN.exists() else {}
    made = dict(pages(app, age, symbols, lang))
    assert bool(app.extensions.get("kept_parts")) is keep
    digests = {key: hashlib.sha256(html.encode()).hexdigest() for key, html in made.items()}
    if os.environ.get("STATUS_PAGES_DIFF"):  # every page, to compare by eye
        out = Path(os.environ["STATUS_PAGES_DIFF"])
        out.mkdir(parents=True, exist_ok=True)
        for key, html in made.items():
            (out / (key.replace("/", "_") + ".html")).write_text(html)
    if os.environ.get("STATUS_PAGES_WRITE"):
        known.update(digests)
        KNOWN.write_text(json.dumps(dict(sorted(known.items())), indent=1) + "\n")
        return
    differ = [key for key, digest in digests.items() if known.get(key) != digest]
    assert not differ, differ
    assert len(digests) == 25
