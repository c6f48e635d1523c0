"""Printable versions: the card (both sides), the under-10s agreement, the posters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from app.child.print_layout import density
from app.council import Form
from tests.helpers import COUNCIL, post_form, soup
from tests.other_councils import app_for, council_with, long_pledge


def test_the_card_has_both_sides(page_client: FlaskClient) -> None:
    page = soup(page_client.get("/print/card"))
    front, back, *_ = page.select(".promise-card")
    assert front.h2.get_text() == COUNCIL.council.service_name
    assert COUNCIL.council.phone in front.get_text() and COUNCIL.council.email in front.get_text()
    # The social worker's name and number beside "speak to your social worker": the back is
    # the promises' alone, so Leeds' eight fit one card at 7 pt.
    assert "Me: ____" in front.get_text() and "Tel: ____" in front.get_text()
    assert back.h2.get_text() == COUNCIL.print.card_back
    # On the card, on more cards, or in full after it: every promise, once, in order.
    printed = [li.get_text() for li in page.select(".promise-card.back li, .promise-full-list li")]
    assert printed == [p.words("card") for p in COUNCIL.promises]


def test_the_agreement_is_blank_to_write_on(page_client: FlaskClient) -> None:
    agreement = soup(page_client.get("/print/agreement")).select_one(".agreement")
    text = agreement.get_text(" ", strip=True)
    assert "Your name: ________________" in text
    assert "My name is ________________ and I am your social worker" in text
    assert [li.get_text() for li in agreement.select("li")] == [
        p.words("agreement") for p in COUNCIL.promises
    ]


def test_the_agreement_with_names_filled_in(page_client: FlaskClient) -> None:
    response = post_form(page_client, "/print/agreement", child_name="Aisha", worker_name="Sam")
    assert response.headers["Cache-Control"] == "no-store"
    text = soup(response).select_one(".agreement").get_text(" ", strip=True)
    assert "Your name: Aisha" in text
    assert "My name is Sam and I am your social worker, here are my promises to you!" in text


def test_names_never_travel_in_the_address(page_client: FlaskClient) -> None:
    form = soup(page_client.get("/print/agreement")).select_one("main form")
    assert form["method"] == "post"


def test_the_posters_in_words_and_symbols(page_client: FlaskClient) -> None:
    """The under-10s poster in the council's two designs (stars, and the story books' animals
    when it has characters), the symbol poster, and the list for young people and staff."""
    page = soup(page_client.get("/print/posters"))
    posters = page.select(".poster")
    printed = COUNCIL.print
    stars, symbols, listed = (
        page.select_one(f".poster.{k}") for k in ("stars-design", "symbols-poster", "list-poster")
    )
    animals = page.select_one(".poster.animals-design")
    assert (animals is not None) == bool(COUNCIL.characters)
    assert len(posters) == 3 + bool(COUNCIL.characters)
    assert [stars.h2.get_text(), symbols.h2.get_text(), listed.h2.get_text()] == [
        printed.poster,
        printed.symbol_poster,
        printed.list_poster,
    ]
    assert listed.h3.get_text() == COUNCIL.council.service_name
    words = [p.words("poster") for p in COUNCIL.promises]
    assert [li.get_text() for li in stars.select("li")] == words
    if animals is not None:
        assert [li.get_text() for li in animals.select("li")] == words
        assert len(animals.select(".poster-animals img[alt='']")) == len(COUNCIL.characters)
    # Each poster's type is sized by how much it says, so a long one still fits its page.
    assert density(sum(map(len, words)), 900, 1600) in stars["class"]
    assert (
        density(sum(len(p.words(Form.CARD)) for p in COUNCIL.promises), 900, 1600)
        in listed["class"]
    )
    assert all(img["alt"] == "" for img in symbols.select("img"))
    assert len(symbols.select("li")) == sum(len(p.easy_read_lines()) for p in COUNCIL.promises)


@pytest.mark.parametrize("url", ["/print/card", "/print/agreement", "/print/posters"])
def test_every_printable_has_a_print_button(page_client: FlaskClient, url: str) -> None:
    """It needs JavaScript, so it is hidden until app.js shows it; it never prints."""
    holder = soup(page_client.get(url)).select_one("[data-print]")
    assert holder is not None and holder.has_attr("hidden") and "no-print" in holder["class"]
    assert (
        holder.button["type"] == "button"
        and holder.button.get_text(strip=True) == "Print this page"
    )


def test_the_agreement_has_room_for_a_photo_or_drawing_of_each(page_client: FlaskClient) -> None:
    boxes = soup(page_client.get("/print/agreement")).select(".agreement .photo-box")
    assert [box.get_text(strip=True) for box in boxes] == [
        "A photo or drawing of me",
        "A photo or drawing of my social worker",
    ]


def test_the_print_stylesheet_sizes_the_card_and_hides_the_page_furniture() -> None:
    css = (Path(__file__).parent.parent / "app/static/css/app.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    assert "inline-size: 85.6mm" in print_rules and "min-block-size: 53.98mm" in print_rules
    assert "overflow: hidden" not in print_rules  # a card grows rather than hide a promise
    sizes = re.findall(
        r"\.card-size-(\d+) \.promise-card \{ font-size: ([0-9.]+)pt; \}", print_rules
    )
    assert sizes and all(int(tenths) == round(float(pt) * 10) >= 70 for tenths, pt in sizes)
    assert ".exit-bar" in print_rules and ".no-print" in print_rules


def test_a_council_with_too_many_words_for_a_card_gets_them_in_full_after_it(
    tmp_path: Path, sqlite_url: str
) -> None:
    data = council_with(10, length=400, sections=2)
    page = soup(app_for(tmp_path, sqlite_url, data).test_client().get("/print/card"))
    (back,) = page.select(".promise-card.back")
    assert not back.select("li")
    assert (
        "We make 10 promises to you. Read them all on the pages printed with this card, or at "
        "www.leeds.gov.uk/OurPromise." in back.get_text(" ", strip=True)
    )
    full = page.select_one(".promise-full-list")
    assert [h3.get_text() for h3 in full.select("h3")] == [
        "Part 1 of our promise",
        "Part 2 of our promise",
    ]
    assert [li.get_text() for li in full.select("li")] == [long_pledge(n) for n in range(1, 11)]


def test_pledges_that_need_two_cards_get_two_numbered_cards(
    tmp_path: Path, sqlite_url: str
) -> None:
    page = soup(
        app_for(tmp_path, sqlite_url, council_with(12, length=110)).test_client().get("/print/card")
    )
    backs = page.select(".promise-card.back")
    assert [b.h2.get_text() for b in backs] == [
        "Our promises to you, card 1 of 2",
        "Our promises to you, card 2 of 2",
    ]
    assert [li.get_text() for b in backs for li in b.select("li")] == [
        long_pledge(n, 110) for n in range(1, 13)
    ]
    assert "Keep the other cards of promises with it." in page.get_text(" ", strip=True)


def test_posters_and_agreement_take_smaller_type_for_more_words(
    tmp_path: Path, sqlite_url: str
) -> None:
    client = app_for(tmp_path, sqlite_url, council_with(80, length=400)).test_client()
    posters = soup(client.get("/print/posters")).select(".poster")
    assert len(posters) >= 3 and all("dense" in p["class"] for p in posters)
    assert "dense" in soup(client.get("/print/agreement")).select_one(".agreement")["class"]
