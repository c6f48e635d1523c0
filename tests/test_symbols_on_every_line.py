"""Symbol mode puts a symbol beside every line: every heading, question, choice, hint, error,
button and status line of every child page and step (issue 11). Counted per page: the text
blocks of <main> with no symbol in them or beside them (in their parent), none allowed.

The footer is left out, and so are the child's own data shown back to them (their reference,
their three words, what they typed), which a picture would not explain."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient

from tests.helpers import COUNCIL, choose, soup
from tests.journey import STEPS, answer, fill_in, send
from tests.staff_helpers import make_staff

BLOCKS = ("h1", "h2", "h3", "p", "li", "label", "legend", "dt", "dd", "button", "summary")
# A line and its picture: a list item, a choice, a row of "check your answers", a stage.
ROWS = "li, .radio, .summary-row, .status-now, .guide, .said, .book-page, .book-head, .tracker li"
DATA = (".words", ".reference", ".memorable-words", ".summary-value", ".flash")


def own_text(block: Tag) -> str:
    parts = []
    for node in block.descendants:
        if isinstance(node, str) and not any(
            isinstance(p, Tag) and "visually-hidden" in (p.get("class") or []) for p in node.parents
        ):
            parts.append(node)
    return " ".join("".join(parts).split())


def bare_blocks(page: BeautifulSoup) -> list[str]:
    """The text blocks of <main> without a symbol in them or in their parent."""
    main = page.select_one("main")
    assert main is not None
    bare = []
    for block in main.find_all(BLOCKS):
        if block.find(BLOCKS) is not None or not own_text(block):
            continue  # only the innermost blocks with words
        if any(
            block.css.match(css) or block.select_one(css) or block.find_parent(class_=css[1:])
            for css in DATA
        ):
            continue
        rows = [row for row in block.parents if row.name != "main" and row.css.match(ROWS)]
        pictured = block.select_one("img.symbol") or any(
            row.select_one("img.symbol")
            for row in [block, *rows]
            if block.css.match(ROWS) or row is not block
        )
        if not pictured:
            bare.append(f"<{block.name}> {own_text(block)[:60]}")
    return bare


PAGES = [
    "/",
    "/choose",
    "/promises",
    "/talk-to-someone",
    "/help",
    "/your-information",
    "/accessibility",
    "/about",
    "/print",
    "/tell-us",
    "/tell-us/not-safe",
    "/messages",
    "/messages/find",
    *[f"/promises/story/{c.key}/1" for c in COUNCIL.characters[:1]],
]


@pytest.mark.parametrize("band", ["under_5", "5_to_9", "10_plus"])
def test_every_line_of_every_page_has_its_symbol(client: FlaskClient, band: str) -> None:
    choose(client, band, symbols=True)
    bare: dict[str, list[str]] = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        found = bare_blocks(soup(response))
        if found:
            bare[url] = found
    assert not bare, bare


def test_every_step_its_errors_and_the_check_page(client: FlaskClient) -> None:
    choose(client, "5_to_9", symbols=True)
    bare: dict[str, list[str]] = {}
    for step, data in STEPS.items():
        for name, page in (
            (step, client.get(f"/tell-us/{step}")),
            (f"{step} with errors", answer(client, step, **_wrong(step))),
        ):
            if page.status_code == 200:
                found = bare_blocks(soup(page))
                if found:
                    bare[name] = found
        answer(client, step, **data)
    check = client.get("/tell-us/check")
    bare_check = bare_blocks(soup(check))
    if bare_check:
        bare["check"] = bare_check
    sent = client.get(send(client).headers["Location"])
    for name, page in (("sent", sent),):
        found = bare_blocks(soup(page))
        if found:
            bare[name] = found
    assert not bare, bare


def _wrong(step: str) -> dict[str, Any]:
    return {"contact": {"phone": "call me"}, "words": {"words": " "}}.get(step, {})


def test_the_status_page_and_how_did_we_do(client: FlaskClient) -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Contact
    from tests.helpers import record

    choose(client, "10_plus", symbols=True)
    fill_in(client)
    reference = (
        soup(client.get(send(client).headers["Location"]))
        .select_one(".reference")
        .get_text(strip=True)
    )
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    sam = make_staff("senior_manager", "Sam Patel")
    record(
        contact,
        "allocated",
        role="head_of_service",
        details={"staff_id": sam.id},
        now=contact.received_at,
    )
    db.session.commit()
    assert not bare_blocks(soup(client.get(f"/messages/{reference}")))
    record(contact, "spoke_to_child", role="customer_relations", now=contact.received_at)
    record(contact, "closed", role="customer_relations", now=contact.received_at, text="Sorted.")
    db.session.commit()
    page = soup(client.get(f"/messages/{reference}"))
    assert page.select(".feedback .radio img.symbol")
    assert not bare_blocks(page)
    errors = client.post(
        f"/messages/{reference}/feedback",
        data={"csrf_token": page.select_one("input[name=csrf_token]")["value"]},
    )
    assert not bare_blocks(soup(errors))
