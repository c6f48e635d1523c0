"""A council without story characters: the under-5s get the simplest words it wrote, and the
grown-up reading with them is told what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.council import Form, load
from tests.helpers import choose, soup
from tests.other_councils import app_for, council_with, leeds, write

GROWN_UP = "Grown-ups: please read these promises to the child with you"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        (("card", "poster", "agreement", "story"), "story"),
        (("card", "poster", "agreement"), "poster"),
        (("card", "agreement"), "agreement"),
        (("card", "easy_read"), "easy_read"),
        (("card",), "card"),
    ],
)
def test_the_story_form_falls_back_to_the_simplest_words_given(
    tmp_path: Path, given: tuple[str, ...], shown: str
) -> None:
    data = council_with(1)
    promise = {"key": "kind", "title": "Be kind"}
    for form in given:
        if form == "easy_read":
            promise["easy_read"] = [
                {"text": "We are kind.", "symbol": "⭐"},
                {"text": "We listen.", "symbol": "⭐"},
            ]
        else:
            promise[form] = f"The {form} words."
    data["promises"] = [promise]
    words = load(write(tmp_path, data)).promises[0].words(Form.STORY)
    assert words == ("We are kind. We listen." if shown == "easy_read" else f"The {shown} words.")


@pytest.mark.parametrize("symbols", [False, True])
def test_under_5s_without_stories_get_simple_words_and_a_line_for_the_grown_up(
    tmp_path: Path, sqlite_url: str, symbols: bool
) -> None:
    data = council_with(3, forms=("card", "poster"))
    for promise in data["promises"]:
        promise["card"] = f"The long card words of {promise['key']}, for ten and over."
        promise["poster"] = f"Simple words of {promise['key']}."
    client = app_for(tmp_path, sqlite_url, data).test_client()
    choose(client, "under_5", symbols=symbols)
    page = soup(client.get("/promises"))
    text = page.get_text(" ", strip=True)
    assert GROWN_UP in text
    for n in (1, 2, 3):
        assert f"Simple words of pledge_{n}." in text
        assert f"The long card words of pledge_{n}" not in text


def test_under_5s_with_stories_are_sent_to_the_stories_not_the_list(
    tmp_path: Path, sqlite_url: str
) -> None:
    client = app_for(tmp_path, sqlite_url, leeds()).test_client()  # Leeds has four characters
    choose(client, "under_5")
    page = soup(client.get("/promises"))
    assert page.select(".character-list a")
    assert GROWN_UP not in page.get_text(" ", strip=True)


@pytest.mark.parametrize("band", ["5_to_9", "10_plus"])
def test_older_children_are_not_addressed_as_a_grown_up_reading_to_them(
    tmp_path: Path, sqlite_url: str, band: str
) -> None:
    client = app_for(tmp_path, sqlite_url, council_with(3)).test_client()
    choose(client, band)
    assert GROWN_UP not in soup(client.get("/promises")).get_text(" ", strip=True)
