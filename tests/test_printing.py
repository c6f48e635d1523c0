"""Printable versions: the card (both sides), the under-10s agreement, the posters."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from app.council import load
from tests.helpers import post_form, soup
from tests.other_councils import app_for, council_with, long_pledge

COUNCIL = load()


def test_the_card_has_both_sides(page_client: FlaskClient) -> None:
    page = soup(page_client.get("/print/card"))
    front, back = page.select(".promise-card")
    assert "Tell us, we care!" in front.get_text()
    assert "0113 378 5111" in front.get_text() and "telluswecare@leeds.gov.uk" in front.get_text()
    # The social worker's name and number beside "speak to your social worker": the back is
    # the promises' alone, so Leeds' eight fit one card at 7 pt.
    assert "Me: ____" in front.get_text() and "Tel: ____" in front.get_text()
    assert [li.get_text() for li in back.select("li")] == [p.card for p in COUNCIL.promises]
    assert page.select_one(".promise-card-sheet.card-size-70")
    assert not page.select(".promise-full-list")


def test_the_agreement_is_blank_to_write_on(page_client: FlaskClient) -> None:
    agreement = soup(page_client.get("/print/agreement")).select_one(".agreement")
    text = agreement.get_text(" ", strip=True)
    assert "Your name: ________________" in text
    assert "My name is ________________ and I am your social worker" in text
    assert [li.get_text() for li in agreement.select("li")] == [
        p.agreement for p in COUNCIL.promises
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
    page = soup(page_client.get("/print/posters"))
    posters = page.select(".poster")
    assert len(posters) == 3
    # Leeds' symbol poster (15 lines) in smaller type and symbols, to fit its page.
    assert [p["class"][1] for p in posters] == ["roomy", "compact", "roomy"]
    assert [li.get_text() for li in posters[0].select("li")] == [p.poster for p in COUNCIL.promises]
    assert all(img["alt"] == "" for img in posters[1].select("img"))
    assert len(posters[1].select("li")) == sum(len(p.easy_read) for p in COUNCIL.promises)


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
    assert [p["class"][1] for p in posters] == ["dense", "dense", "dense"]
    assert "dense" in soup(client.get("/print/agreement")).select_one(".agreement")["class"]
