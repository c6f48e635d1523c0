"""Display choices (issue 13): larger text, higher contrast, a font for dyslexia and less
movement, kept on the phone in the session cookie, with no account and no JavaScript.

How they look in the browser (computed styles, the font downloaded only when chosen, 7:1,
no animation) is tested in tests/e2e/test_display.py.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import choose, csrf_token, post_form, soup

ALL = ["contrast", "dyslexic", "larger", "still"]


def display(client: FlaskClient, *choices: str, next: str = "/promises") -> str:
    """Send the display form with `choices`, from `next`; where it went."""
    response = post_form(client, f"/display?next={next}", display=list(choices), next=next)
    assert response.status_code == 303, response.status_code
    return str(response.headers["Location"])


def styles(client: FlaskClient, url: str = "/promises") -> tuple[list[str], list[str]]:
    page = soup(client.get(url))
    sheets = [str(link["href"]).split("?")[0] for link in page.select("link[rel=stylesheet]")]
    return list(page.html.get("class") or []), sheets


def test_the_page_asks_with_nothing_chosen(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    page = soup(page_client.get("/display?next=/help"))
    boxes = page.select("input[type=checkbox][name=display]")
    assert [box["value"] for box in boxes] == ["larger", "contrast", "dyslexic", "still"]
    assert not any(box.has_attr("checked") for box in boxes)  # nothing on until chosen
    assert page.select_one("input[name=next]")["value"] == "/help"
    assert page.select_one("h1").get_text(strip=True) == "How would you like the pages to look?"


def test_each_choice_is_a_class_on_every_page_and_its_style_sheets(
    page_client: FlaskClient,
) -> None:
    choose(page_client, "5_to_9", symbols=True)
    assert styles(page_client) == ([], ["/static/css/app.css", "/look.css"])
    assert display(page_client, "larger", next="/help") == "/help"
    assert styles(page_client, "/help") == (
        ["display-larger"],
        ["/static/css/app.css", "/look.css", "/static/css/display.css"],
    )
    display(page_client, "dyslexic", "contrast")
    classes, sheets = styles(page_client, "/tell-us/what")
    assert classes == ["display-contrast", "display-dyslexic"]
    assert sheets[-2:] == ["/static/css/display.css", "/static/css/display-font.css"]
    display(page_client, *ALL)
    for url in ("/", "/promises", "/choose", "/display", "/messages", "/no-such-page"):
        assert styles(page_client, url)[0] == [f"display-{choice}" for choice in ALL], url
    page = soup(page_client.get("/display"))
    assert all(box.has_attr("checked") for box in page.select("input[name=display]"))
    display(page_client)  # none: back to the plain page
    assert styles(page_client) == ([], ["/static/css/app.css", "/look.css"])


def test_kept_in_the_session_cookie_on_this_phone(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    page = page_client.get("/display")
    response = page_client.post(
        "/display",
        data={"csrf_token": csrf_token(page.get_data(as_text=True)), "display": ["larger"]},
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with page_client.session_transaction() as session:
        assert session["display"] == ["larger"]
        assert session["age"] == "10_plus", "the age band is kept"
    choose(page_client, "under_5")  # choosing the age again keeps the display
    assert styles(page_client)[0] == ["display-larger"]


def test_the_menu_on_every_child_page_leads_to_it(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    for url in ("/", "/promises", "/choose", "/help", "/tell-us/what", "/messages"):
        links = soup(page_client.get(url)).select("nav a[href^='/display']")
        assert [link["href"] for link in links] == [f"/display?next={url}"], url


@pytest.mark.parametrize("sent", [["huge"], [""], ["larger", " "]])
def test_a_choice_it_does_not_know_is_refused(page_client: FlaskClient, sent: list[str]) -> None:
    choose(page_client, "10_plus")
    page = page_client.get("/display")
    response = page_client.post(
        "/display",
        data={"csrf_token": csrf_token(page.get_data(as_text=True)), "display": sent},
    )
    assert response.status_code == 400
    assert soup(response).select(".error-summary")
    assert styles(page_client)[0] == []


def test_back_only_to_a_page_of_this_site(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    assert display(page_client, "larger", next="https://elsewhere.example/") == "/"


def test_a_kept_page_is_kept_apart_for_each_set_of_choices(page_app: Flask) -> None:
    page_app.config["KEEP_PAGES"] = True
    plain, chosen = page_app.test_client(), page_app.test_client()
    for client in (plain, chosen):
        choose(client, "10_plus")
    display(chosen, "contrast")
    for _ in range(2):  # made, then from memory
        assert styles(chosen)[0] == ["display-contrast"]
        assert styles(plain)[0] == []


def test_the_quick_exit_forgets_them(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    display(page_client, "larger")
    page_client.get("/exit")
    choose(page_client, "10_plus")
    assert styles(page_client)[0] == []


def test_the_font_is_vendored_with_its_licence() -> None:
    from pathlib import Path

    folder = Path(__file__).parent.parent / "app" / "static" / "vendor" / "opendyslexic"
    assert "SIL OPEN FONT LICENSE Version 1.1" in (folder / "LICENSE").read_text()
    assert (folder / "VERSION").read_text().startswith("@fontsource/opendyslexic@5.3.0")
    css = (folder.parent.parent / "css" / "display-font.css").read_text()
    for font in sorted(folder.glob("*.woff2")):
        assert font.read_bytes()[:4] == b"wOF2"
        assert f"../vendor/opendyslexic/{font.name}" in css
    assert len(list(folder.glob("*.woff2"))) == 2
