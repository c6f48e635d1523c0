"""Words for each age (issue 11, point 2): home, the Tell Us start, every question (its
words, its hint and its answers), the confirmation and the status page each read differently
under 5 (with a grown-up), from 5 to 9, and from 10: three registers, not one page for all.
The guides are left out: a council may have no characters, and the page's own words must
differ without them. The check page (not in the issue's list) reads differently under 10
than from 10.

Compared as a child reads them: the words of <main>, without the child's own answers and
reference. Each question's own words come from app/easyread/words.py through gettext."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.easyread import words
from app.extensions import db
from app.models import Contact
from tests.helpers import choose, record, soup
from tests.journey import STEPS, answer, reference_on, send
from tests.staff_helpers import make_staff

BANDS = ("under_5", "5_to_9", "10_plus")


def said(response: object) -> str:
    main = soup(response).select_one("main")
    assert main is not None
    for guide in main.select(".guide"):
        guide.decompose()  # the guide's words differ by age too; the page's own must as well
    for own in main.select(".reference, .summary-value, input, textarea"):
        own.decompose()
    text = " ".join(main.get_text(" ").split())
    return re.sub(r"\b[A-Z0-9]{6}\b", "", text)  # a reference, wherever it is said


def asked(response: object) -> str:
    """A step's question, its hint and its answers, as the child reads them."""
    page = soup(response)
    parts = [page.h1, *page.select("main form .hint"), *page.select("main form .radio label")]
    return " ".join(" ".join(part.get_text(" ", strip=True) for part in parts).split())


def read_by(client: FlaskClient, band: str) -> dict[str, str]:
    """The words of every page of the journey, as this age reads them."""
    choose(client, band)
    pages = {"home": said(client.get("/")), "start": said(client.get("/tell-us"))}
    for step, data in STEPS.items():
        page = client.get(f"/tell-us/{step}")
        if page.status_code == 200:
            pages[step] = asked(page)
            assert answer(client, step, **data).status_code == 303, step
    pages["check"] = said(client.get("/tell-us/check"))
    sent = client.get(send(client).headers["Location"])
    pages["sent"] = said(sent)
    reference = reference_on(sent)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    sam = make_staff("senior_manager", f"Sam {band}")
    record(contact, "allocated", role="head_of_service", details={"staff_id": sam.id},
           now=contact.received_at)  # fmt: skip
    db.session.commit()
    pages["status"] = said(client.get(f"/messages/{reference}"))
    return pages


def test_every_page_of_the_journey_in_three_registers(client: FlaskClient) -> None:
    by_band = {band: read_by(client, band) for band in BANDS}
    assert by_band["under_5"].keys() == by_band["10_plus"].keys()
    same = [
        (page, a, b)
        for page in by_band["10_plus"]
        for a, b in (("under_5", "5_to_9"), ("5_to_9", "10_plus"), ("under_5", "10_plus"))
        if by_band[a][page] == by_band[b][page] and (page, a) != ("check", "under_5")
    ]
    assert not same, same


def test_every_question_has_younger_words_somewhere() -> None:
    """Each question, its hint or its answers say something else to under-10s."""
    for name, question in words.QUESTIONS.items():
        texts = [question.text, *([question.hint] if question.hint else [])]
        younger = any(t.younger or t.youngest for t in texts) or name in words.YOUNGER_CHOICES
        assert younger, name


@pytest.mark.parametrize("band", BANDS)
def test_the_words_are_gettext_strings(band: str) -> None:
    for question in words.QUESTIONS.values():
        for text in (question.text, question.hint):
            if text is not None:
                assert hasattr(text.to(band), "_args"), text  # lazy gettext, not plain str
