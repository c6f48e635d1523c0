"""Printable versions: the card (both sides), the under-10s agreement, the posters."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from tests.helpers import COUNCIL, post_form, soup


def test_the_card_has_both_sides(page_client: FlaskClient) -> None:
    page = soup(page_client.get("/print/card"))
    front, back = page.select(".promise-card")
    assert front.h2.get_text() == COUNCIL.council.service_name
    assert COUNCIL.council.phone in front.get_text() and COUNCIL.council.email in front.get_text()
    assert back.h2.get_text() == COUNCIL.print.card_back
    assert "Me: ____" in back.get_text() and "Tel: ____" in back.get_text()
    assert [li.get_text() for li in back.select("li")] == [
        p.words("card") for p in COUNCIL.promises
    ]


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
    page = soup(page_client.get("/print/posters"))
    posters = page.select(".poster")
    assert len(posters) == 3
    headings = [poster.h2.get_text() for poster in posters]
    printed = COUNCIL.print
    assert headings == [printed.poster, printed.symbol_poster, printed.list_poster]
    assert posters[2].h3.get_text() == COUNCIL.council.service_name
    words = [p.words("poster") for p in COUNCIL.promises]
    assert [li.get_text() for li in posters[0].select("li")] == words
    assert all(img["alt"] == "" for img in posters[1].select("img"))
    assert len(posters[1].select("li")) == sum(len(p.easy_read_lines()) for p in COUNCIL.promises)


def test_the_print_stylesheet_sizes_the_card_and_hides_the_page_furniture() -> None:
    css = (Path(__file__).parent.parent / "app/static/css/app.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    assert "inline-size: 85.6mm" in print_rules and "block-size: 53.98mm" in print_rules
    assert ".exit-bar" in print_rules and ".no-print" in print_rules
