"""The child's first pages, in every age band and in symbol mode, all without JavaScript."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import COUNCIL, choose, post_form, soup

BANDS = ["under_5", "5_to_9", "10_plus"]
PAGES = [
    "/",
    "/choose",
    "/promises",
    "/talk-to-someone",
    "/my-card",
    "/help",
    "/your-information",
    "/accessibility",
    "/about",
    "/print",
    "/print/card",
    "/print/agreement",
    "/print/posters",
    *[f"/promises/story/{c.key}" for c in COUNCIL.characters],
]


@pytest.mark.parametrize("symbols", [False, True], ids=["words", "symbols"])
@pytest.mark.parametrize("band", BANDS)
def test_every_page_answers_in_every_band(
    page_client: FlaskClient, band: str, symbols: bool
) -> None:
    choose(page_client, band, symbols)
    for url in PAGES:
        response = page_client.get(url)
        assert response.status_code == 200, url
        page = soup(response)
        # The quick exit, the way to change age, and the footer's links are on every page.
        assert page.select('a.exit-button[href="/exit"][rel="nofollow noreferrer"]'), url
        assert page.select('a.skip-link[href="/exit"]'), url
        assert page.select_one(".exit-button .visually-hidden").get_text() == "Emergency"
        footer = {a["href"] for a in page.select("footer a")}
        assert {"/your-information", "/accessibility"} <= footer, url
        assert page.select('header a[href="/help"]'), url
        if url != "/choose":
            assert page.select_one("a.prefs-change")["href"].startswith("/choose?next="), url
        if symbols:
            assert "symbol-mode" in page.body["class"], url
        assert f"band-{band}" in page.body["class"], url


def test_first_visit_asks_for_age_before_the_promises(page_client: FlaskClient) -> None:
    response = page_client.get("/promises")
    assert response.status_code == 302
    assert response.headers["Location"] == "/choose?next=/promises"
    home = soup(page_client.get("/"))
    assert home.select_one('a.button[href="/choose?next=/promises"]')


def tel(phone: str) -> str:
    return "tel:" + phone.replace(" ", "")


# The council's working week as a child reads it: both files under test work one run of days.
DAYS = COUNCIL.response.working_days
WEEK = f"{DAYS[0].capitalize()} to {DAYS[-1].capitalize()}"


def test_home_says_what_the_promise_is_and_who_wrote_it(page_client: FlaskClient) -> None:
    text = soup(page_client.get("/")).get_text(" ", strip=True)
    assert f"{COUNCIL.council.name} makes" in text
    assert ("eight promises" in text) == (len(COUNCIL.promises) == 8)
    assert f"We wrote them with {COUNCIL.council.written_with}" in text
    assert "Tell us how we are doing" in text
    assert f"{COUNCIL.response.hours} hours ({WEEK})" in text
    assert "speak to you first, before we talk to anyone else" in text


def test_ten_plus_reads_the_promise_cards_words(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    items = [
        li.get_text(strip=True)
        for li in soup(page_client.get("/promises")).select(".promise-list li")
    ]
    assert items == [p.words("card") for p in COUNCIL.promises]


def test_five_to_nine_reads_the_posters_words(page_client: FlaskClient) -> None:
    choose(page_client, "5_to_9")
    items = [
        li.get_text(strip=True)
        for li in soup(page_client.get("/promises")).select(".promise-list li")
    ]
    assert items == [p.words("poster") for p in COUNCIL.promises]


def test_under_fives_choose_one_of_the_councils_stories(page_client: FlaskClient) -> None:
    choose(page_client, "under_5")
    page = soup(page_client.get("/promises"))
    names = [a.get_text(strip=True) for a in page.select(".character-list a")]
    assert names == [character.name for character in COUNCIL.characters]


def test_each_character_tells_the_promises_as_a_book(page_client: FlaskClient) -> None:
    """Each of the council's characters (Leeds has four; a council may have none): a cover, a
    promise a page in the character's world, an end; Back and Next links, no JavaScript."""
    count = len(COUNCIL.promises)
    for character in COUNCIL.characters:
        url = f"/promises/story/{character.key}"
        cover = soup(page_client.get(url))
        assert cover.h1.get_text(strip=True) == character.name
        assert character.hello in cover.get_text()
        # The picture repeats the name beside it, so a screen reader skips it.
        assert cover.select_one(".book-head img")["alt"] == ""
        assert not cover.select("a[rel=prev]")
        assert cover.select_one("a[rel=next]")["href"] == f"{url}/1"
        told = []
        for number, promise in enumerate(COUNCIL.promises, start=1):
            page = soup(page_client.get(f"{url}/{number}"))
            assert page.select_one(".book-count").get_text() == f"Page {number + 1} of {count + 2}"
            assert page.select_one("a[rel=prev]")["href"] == (
                f"{url}/{number - 1}" if number > 1 else url
            )
            assert page.select_one("a[rel=next]")["href"] == f"{url}/{number + 1}"
            told.append(page.select_one(".story-promise").get_text(strip=True))
            world = character.pages.get(promise.key)
            assert world is None or world in page.select_one(".book-page").get_text()
        assert told == [p.words("story") for p in COUNCIL.promises]
        end = soup(page_client.get(f"{url}/{count + 1}"))
        assert character.after in end.get_text() and not end.select("a[rel=next]")
        assert page_client.get(f"{url}/{count + 2}").status_code == 404


def test_the_story_words_await_the_councils_sign_off() -> None:
    from app.council import load

    assert {character.sign_off for character in load().characters} == {"awaiting"}


def test_unknown_story_is_not_found(page_client: FlaskClient) -> None:
    assert page_client.get("/promises/story/nobody").status_code == 404


@pytest.mark.parametrize("band", BANDS)
def test_symbol_mode_shows_easy_read_with_a_symbol_beside_each_line(
    page_client: FlaskClient, band: str
) -> None:
    choose(page_client, band, symbols=True)
    page = soup(page_client.get("/promises"))
    lines = page.select(".easy-read-promise .easy-read li")
    expected = [line for p in COUNCIL.promises for line in p.easy_read_lines()]
    assert [li.span.get_text(strip=True) for li in lines] == [line.text for line in expected]
    for li, line in zip(lines, expected, strict=True):
        assert li.img["alt"] == ""
        # Drawn from the page's one sheet of symbols (app/symbol_sheet.py), by its name.
        name = line.symbol_file.removesuffix(".svg")
        assert li.img["src"].startswith("/symbols/") and li.img["src"].endswith(f"#s-{name}")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/talk-to-someone",
        "/help",
        "/your-information",
        "/accessibility",
        "/about",
        "/my-card",
        "/print",
    ],
)
def test_symbol_mode_covers_the_apps_own_pages(page_client: FlaskClient, url: str) -> None:
    choose(page_client, "10_plus", symbols=True)
    page = soup(page_client.get(url))
    assert page.select(".easy-read li img[alt='']"), f"{url} has no easy read in symbol mode"


def test_symbols_are_served_from_our_own_origin(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus", symbols=True)
    for img in soup(page_client.get("/promises")).select("img"):
        with page_client.get(img["src"]) as response:
            assert response.status_code == 200
            assert response.mimetype == "image/svg+xml"


def test_credits_name_openmoji_and_its_licence(page_client: FlaskClient) -> None:
    page = soup(page_client.get("/about"))
    assert "OpenMoji" in page.get_text() and "CC BY-SA 4.0" in page.get_text()
    licence = page.find("a", string="Read the OpenMoji licence")["href"]
    with page_client.get(licence) as response:
        assert "Attribution-ShareAlike 4.0" in response.get_data(as_text=True)


def test_talk_to_someone_first_gives_tap_to_call_and_email(page_client: FlaskClient) -> None:
    page = soup(page_client.get("/talk-to-someone"))
    text = page.get_text(" ", strip=True)
    for who in ("social worker", "carer", "independent reviewing officer (IRO)"):
        assert who in text
    assert page.select_one(f'a[href="{tel(COUNCIL.council.phone)}"]')
    assert page.select_one(f'a[href="mailto:{COUNCIL.council.email}"]')
    assert f"You can also contact the {COUNCIL.council.team_name}:" in text


def test_help_page_gives_who_to_call_right_now(page_client: FlaskClient) -> None:
    page = soup(page_client.get("/help"))
    numbers = {a["href"] for a in page.select("a[href^='tel:']")}
    assert {"tel:999", "tel:08001111", tel(COUNCIL.council.emergency_duty_team_phone)} <= numbers


def test_choose_without_answers_explains_what_is_missing(page_client: FlaskClient) -> None:
    response = post_form(page_client, "/choose", next="/promises")
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one(".error-summary")
    assert summary.h2.get_text() == "There is a problem"
    assert [a["href"] for a in summary.select("a")] == ["#age-0", "#symbols-0"]
    assert page.select_one("#age-error").get_text(strip=True).endswith("Choose how old you are")


def test_choose_keeps_the_other_answer_when_one_is_missing(page_client: FlaskClient) -> None:
    page = soup(post_form(page_client, "/choose", age="5_to_9", next="/promises"))
    assert page.select_one("#age-1").has_attr("checked")


def test_choose_never_sends_the_child_to_another_site(page_client: FlaskClient) -> None:
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        response = post_form(page_client, "/choose", age="10_plus", symbols="no", next=evil)
        assert response.headers["Location"] == "/", evil


def test_choice_is_remembered_and_can_be_changed(page_client: FlaskClient) -> None:
    choose(page_client, "5_to_9")
    assert soup(page_client.get("/choose")).select_one("#age-1").has_attr("checked")
    choose(page_client, "10_plus", symbols=True)
    page = soup(page_client.get("/choose"))
    assert page.select_one("#age-2").has_attr("checked")
    assert page.select_one("#symbols-1").has_attr("checked")
