"""Symbol mode puts a symbol beside every line: every heading, question, choice, hint, error,
button and status line of every child page and step (issue 11). Counted per page: the text
blocks of <main> with no symbol in them or beside them (in their parent), none allowed.

The footer is left out, and so are the child's own data shown back to them (their reference,
their three words, what they typed), which a picture would not explain."""

from __future__ import annotations

import re
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient

from tests.e2e.pages import PAGES as E2E_PAGES
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
    for printed in main.select(PRINTED):
        printed.decompose()
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


# What the printables print is the council's own printouts, word for word: the symbol poster
# among them is their symbol version (tests/e2e/test_printing_fits.py). Their words on the
# screen around it (heading, how to print, the names form, the way back) are counted.
PRINTED = ".promise-card-sheet, .promise-full-list, .agreement, .poster"
# Every child page the browser sweep loads (tests/e2e/pages.py), and a book's last page.
PAGES = [
    *E2E_PAGES,
    *[f"/promises/story/{c.key}/{len(COUNCIL.promises) + 1}" for c in COUNCIL.characters[:1]],
]
BANDS = ["under_5", "5_to_9", "10_plus"]
# What a child gets wrong on each question that can be wrong: nothing chosen or written, or a
# number that is not one. A step with nothing here takes an empty answer (it is optional).
WRONG: dict[str, list[dict[str, Any]]] = {
    "what": [{}],
    "promises": [{}],
    "words": [{"words": " "}],
    "contact": [{"phone": "call me"}, {}],
    "helper": [{}],
}


def silent_symbols(page: BeautifulSoup) -> list[str]:
    """Symbols with alt text, or with alt="" but no words beside them to say what they mean
    (STANDARDS.md 2.5: alt="" only where the words beside the picture say the same)."""
    main = page.select_one("main")
    assert main is not None
    wrong = []
    for img in main.select("img.symbol"):
        if img.find_parent(attrs={"aria-hidden": "true"}):
            continue  # scenery, hidden from screen readers whole
        beside = next((p for p in img.parents if own_text(p)), None)
        if img.get("alt") != "" or beside is None or beside.name == "main":
            wrong.append(f"{img['src'].rsplit('/', 1)[-1]} alt={img.get('alt')!r}")
    return wrong


# Easy read: at most 15 words a sentence (STANDARDS.md 2.21). Not on the two pages written
# for a grown-up, which the plain-words test holds to their own level (tests/test_plain_words.py):
# the credits, and the accessibility statement in the regulations' words.
MOST_WORDS = 15
FOR_GROWN_UPS = {"/about", "/accessibility"}
# The notice on sharing (the check page, your information), in the words STANDARDS.md 1.4
# requires.
REQUIRED = {
    "If you tell us you are not safe, we must share it with people who can help keep you safe."
}


def long_sentences(page: BeautifulSoup) -> list[str]:
    main = page.select_one("main")
    assert main is not None
    for printed in main.select(PRINTED):
        printed.decompose()
    long = []
    for block in main.find_all(BLOCKS):
        if block.find(BLOCKS) is not None:
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", own_text(block)):
            if len(sentence.split()) > MOST_WORDS and sentence not in REQUIRED:
                long.append(f"{len(sentence.split())} words: {sentence[:60]}")
    return long


def _bare_on(bare: dict[str, list[str]], name: str, response: Any) -> None:
    assert response.status_code == 200, (name, response.status_code)
    found = bare_blocks(soup(response)) + silent_symbols(soup(response))
    if name not in FOR_GROWN_UPS:
        found += long_sentences(soup(response))
    if found:
        bare[name] = found


@pytest.mark.parametrize("band", BANDS)
def test_every_line_of_every_page_has_its_symbol(client: FlaskClient, band: str) -> None:
    choose(client, band, symbols=True)
    bare: dict[str, list[str]] = {}
    for url in PAGES:
        response = client.get(url)
        if url == "/no-such-page":
            assert response.status_code == 404
            response.status_code = 200
        _bare_on(bare, url, response)
    assert not bare, bare


def _walk(
    client: FlaskClient, bare: dict[str, list[str]], changes: dict[str, dict[str, Any]]
) -> set[str]:
    """Every step the answers ask, each as it first opens and with each mistake; the steps seen."""
    seen = set()
    for step, data in STEPS.items():
        if client.get(f"/tell-us/{step}").status_code == 303:
            continue  # not asked after these answers
        seen.add(step)
        _bare_on(bare, step, client.get(f"/tell-us/{step}"))
        for number, wrong in enumerate(WRONG.get(step, [])):
            response = answer(client, step, **wrong)
            assert response.status_code == 200, (step, wrong)
            assert soup(response).select_one(".error-summary") is not None, (step, wrong)
            _bare_on(bare, f"{step} with mistake {number + 1}", response)
        response = answer(client, step, **{**data, **changes.get(step, {})})
        assert response.status_code == 303, step
    return seen


@pytest.mark.parametrize("band", BANDS)
def test_every_step_its_errors_and_the_check_page(client: FlaskClient, band: str) -> None:
    """Both ways back (the phone box and the email box) and every step either way asks."""
    choose(client, band, symbols=True)
    bare: dict[str, list[str]] = {}
    _bare_on(bare, "start", client.get("/tell-us"))
    seen = _walk(client, bare, {})
    _bare_on(bare, "check", client.get("/tell-us/check"))
    seen |= _walk(client, bare, {"how": {"how": "email"}, "contact": {"email": "jo@example.org"}})
    _bare_on(bare, "check, by email", client.get("/tell-us/check"))
    assert seen == set(STEPS), set(STEPS) - seen
    _bare_on(bare, "not safe", client.get("/tell-us/not-safe"))
    _bare_on(bare, "sent", client.get(send(client).headers["Location"]))
    assert not bare, bare


@pytest.mark.parametrize("band", BANDS)
def test_the_status_page_at_every_stage_and_how_did_we_do(client: FlaskClient, band: str) -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Contact
    from tests.helpers import record

    choose(client, band, symbols=True)
    fill_in(client)
    reference = (
        soup(client.get(send(client).headers["Location"]))
        .select_one(".reference")
        .get_text(strip=True)
    )
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    url = f"/messages/{reference}"
    bare: dict[str, list[str]] = {}
    _bare_on(bare, "sent", client.get(url))
    sam = make_staff("senior_manager", "Sam Patel")
    at = contact.received_at
    for kind, details in (
        ("read", {}),
        ("allocated", {"details": {"staff_id": sam.id}}),
        ("spoke_to_child", {}),
        ("update_for_child", {"text": "We have asked for a visit."}),
    ):
        record(contact, kind, role="head_of_service", now=at, **details)  # type: ignore[arg-type]
        db.session.commit()
        _bare_on(bare, kind, client.get(url))
    page = soup(client.get(url))
    token = page.select_one("input[name=csrf_token]")["value"]
    _bare_on(bare, "adding nothing", client.post(f"{url}/add", data={"csrf_token": token}))
    _bare_on(bare, "my messages", client.get("/messages"))
    record(contact, "closed", role="customer_relations", now=at, text="Sorted.")
    db.session.commit()
    page = soup(client.get(url))
    assert page.select(".feedback .radio img.symbol")
    _bare_on(bare, "finished", client.get(url))
    _bare_on(
        bare,
        "how did we do, unanswered",
        client.post(f"{url}/feedback", data={"csrf_token": token}),
    )
    response = client.post(
        f"{url}/feedback",
        data={"csrf_token": token, "listened": "yes", "heard": "yes", "happy": "not_sure"},
    )
    assert response.status_code == 303
    _bare_on(bare, "thanked", client.get(url))
    assert not bare, bare
