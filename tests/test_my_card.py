"""My promise card: the social worker's name and number, on this phone only."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from tests.helpers import post_form, soup


def keep(client: FlaskClient, name: str = "Sam Smith", phone: str = "07700 900 982") -> None:
    response = post_form(client, "/my-card", worker_name=name, worker_phone=phone)
    assert response.status_code == 303


def test_the_card_is_shown_with_tap_to_call_wherever_talk_to_someone_is(
    page_client: FlaskClient,
) -> None:
    keep(page_client)
    for url in ("/", "/talk-to-someone"):
        talk = soup(page_client.get(url)).select_one(".talk")
        assert "Your social worker is Sam Smith." in talk.get_text()
        assert talk.select_one('a[href="tel:07700900982"]').get_text() == "Call 07700 900 982"
    card = soup(page_client.get("/print/card"))
    assert "Me: Sam Smith" in card.get_text() and "Tel: 07700 900 982" in card.get_text()


def test_the_card_lives_in_the_cookie_never_the_database(
    page_app: Flask, page_client: FlaskClient
) -> None:
    keep(page_client)
    assert page_client.get_cookie("session") is not None
    for table in db.metadata.sorted_tables:
        assert db.session.scalar(select(func.count()).select_from(table)) == 0, table.name
    # Another phone does not see it.
    other = page_app.test_client()
    assert "Sam Smith" not in other.get("/talk-to-someone").get_data(as_text=True)


def test_the_card_page_is_never_cached(page_client: FlaskClient) -> None:
    assert page_client.get("/my-card").headers["Cache-Control"] == "no-store"


def test_forget_my_card(page_client: FlaskClient) -> None:
    keep(page_client)
    response = post_form(page_client, "/my-card", action="/my-card/forget")
    assert response.status_code == 303
    page = page_client.get("/my-card")
    assert "Your card is forgotten on this phone." in page.get_data(as_text=True)
    assert "Sam Smith" not in page_client.get("/talk-to-someone").get_data(as_text=True)


def test_a_wrong_number_is_explained_and_the_name_kept(page_client: FlaskClient) -> None:
    response = post_form(page_client, "/my-card", worker_name="Sam", worker_phone="ring me")
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    assert page.select_one(".error-summary a")["href"] == "#worker_phone"
    assert "numbers only" in page.select_one("#worker_phone-error").get_text()
    assert page.select_one("#worker_name")["value"] == "Sam"
    assert page.select_one("#worker_phone")["value"] == "ring me"
    assert page.select_one("#worker_phone")["aria-invalid"] == "true"


def test_a_long_name_is_refused_kindly(page_client: FlaskClient) -> None:
    page = soup(post_form(page_client, "/my-card", worker_name="S" * 61, worker_phone=""))
    assert "60 letters or fewer" in page.select_one(".error-summary").get_text()


def test_a_post_without_its_csrf_token_is_refused_kindly(page_client: FlaskClient) -> None:
    response = page_client.post("/my-card", data={"worker_name": "Sam"})
    assert response.status_code == 400
    assert "Go back, and try again" in response.get_data(as_text=True)
