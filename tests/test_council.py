"""council.toml: the council's own words, checked at start-up; a mistake names its key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import create_app
from app.council import CouncilError, Form, load, symbol_filename
from tests.helpers import settings_for, soup
from tests.other_councils import leeds, write

SEED_CARD = [
    "help and support you to stay safe and have a healthy lifestyle",
    "involve you in all decisions about your life",
    "have high aspirations for you and encourage you to reach your full potential",
    "support you throughout your education and to plan for the future",
    "listen and make sure you know what will happen next",
    "celebrate your achievements",
    "make sure you have lots of different people to support you",
    "help you have new experiences and develop your own interests",
]


def test_the_council_file_holds_the_seed_wording() -> None:
    council = load()
    assert council.council.phone == "0113 378 5111"
    assert council.council.email == "telluswecare@leeds.gov.uk"
    assert council.council.website == "https://www.leeds.gov.uk/OurPromise"
    assert council.response.hours == 48
    assert [p.card for p in council.promises] == [f"We promise to {w}." for w in SEED_CARD]
    assert all(p.poster and p.agreement and p.story and p.easy_read for p in council.promises)
    assert [c.name for c in council.characters] == [
        "Jenny the Jellyfish",
        "Lola the Lion",
        "Dino the Dinosaur",
        "Robbie the Rabbit",
    ]


def test_every_symbol_named_is_vendored() -> None:
    folder = Path(__file__).parent.parent / "app" / "static" / "vendor" / "openmoji"
    for symbol in load().symbols():
        assert (folder / symbol_filename(symbol)).is_file(), symbol


def test_symbol_files_are_named_as_openmoji_names_them() -> None:
    assert symbol_filename("🛡️") == "1F6E1.svg"  # the variation selector is dropped
    assert symbol_filename("🧑‍💼") == "1F9D1-200D-1F4BC.svg"  # joined emoji keep the joiner


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["council"].pop("phone"), "council.phone: Field required"),
        (lambda d: d["council"].update(phnoe="1"), "council.phnoe: Extra inputs are not permitted"),
        (lambda d: d["council"].update(email="not-an-email"), "council.email"),
        (lambda d: d["response"].update(hours=0), "response.hours"),
        (lambda d: d["response"].update(timezone="Europe/Leeds"), "response.timezone"),
        (lambda d: d["response"].update(holidays_country="XX"), "calendar"),
        (lambda d: d["promises"][4].update(key="Listen Up"), "promises[5] (key 'Listen Up').key"),
        (lambda d: d["promises"][2].update(crad="x"), "promises[3] (key 'aspirations').crad"),
        (lambda d: d["promises"][1].update(key="stay_safe"), "the key 'stay_safe' is used twice"),
        (lambda d: d["promises"][0].update(section="nope"), "not in [[sections]]"),
        (lambda d: d["characters"][1].pop("hello"), "characters[2] (key 'lola').hello"),
        (lambda d: d.update(promises=[]), "promises: Tuple should have at least 1 item"),
    ],
)
def test_a_mistake_stops_the_app_with_a_message_naming_the_key(
    tmp_path: Path, change: Any, named: str
) -> None:
    data = leeds()
    change(data)
    with pytest.raises(CouncilError) as error:
        load(write(tmp_path, data))
    assert named in str(error.value)


def test_a_promise_without_any_words_is_refused(tmp_path: Path) -> None:
    data = leeds()
    data["promises"][0] = {"key": "empty", "title": "Empty"}
    with pytest.raises(CouncilError, match=r"promises\[1\] \(key 'empty'\).*at least one form"):
        load(write(tmp_path, data))


def test_a_symbol_that_is_not_vendored_is_refused(tmp_path: Path) -> None:
    data = leeds()
    data["promises"][0]["easy_read"][0]["symbol"] = "🦩"
    with pytest.raises(CouncilError, match="not vendored: 🦩"):
        load(write(tmp_path, data))


def test_a_broken_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "council.toml"
    path.write_text("[council\nname = 1", encoding="utf-8")
    with pytest.raises(CouncilError, match="cannot be read"):
        load(path)


def test_missing_wording_falls_back_to_the_nearest_form(tmp_path: Path) -> None:
    data = leeds()
    only_card = {"key": "only_card", "title": "Card only", "card": "We promise to be kind."}
    only_easy = {
        "key": "only_easy",
        "title": "Easy only",
        "easy_read": [{"text": "We are kind.", "symbol": "😊"}],
    }
    data["promises"] = [only_card, only_easy]
    for character in data["characters"]:
        character.pop("pages")  # their pages are for Leeds' promises
    council = load(write(tmp_path, data))
    card, easy = council.promises
    for form in Form:
        assert card.words(form) == "We promise to be kind."
        assert easy.words(form) == "We are kind."
    assert card.easy_read_lines()[0].text == "We promise to be kind."
    assert card.easy_read_lines()[0].symbol_file == "2B50.svg"


def test_a_pledge_of_a_thousand_characters_is_taken_word_for_word(tmp_path: Path) -> None:
    data = leeds()
    long = ("We promise to listen to you, " * 40)[:999] + "."
    assert len(long) == 1000
    data["promises"][0].update(card=long, poster=long, agreement=long, story=long)
    council = load(write(tmp_path, data))
    assert all(council.promises[0].words(form) == long for form in Form)


def test_a_pledge_over_a_thousand_characters_is_refused_by_its_key(tmp_path: Path) -> None:
    data = leeds()
    data["promises"][2]["poster"] = "x" * 1001
    with pytest.raises(CouncilError, match=r"promises\[3\] \(key '\w+'\)\.poster: .*1000"):
        load(write(tmp_path, data))


def test_names_and_titles_keep_their_shorter_limit(tmp_path: Path) -> None:
    data = leeds()
    data["promises"][0]["title"] = "x" * 401
    with pytest.raises(CouncilError, match=r"promises\[1\] .*\.title: .*400"):
        load(write(tmp_path, data))


def test_eighty_pledges_in_sections_are_allowed_and_eighty_one_are_not(tmp_path: Path) -> None:
    council = load(write(tmp_path, second_council(80)))
    assert len(council.promises) == 80
    assert sorted(p.section or "" for p in council.promises) == ["care"] * 40 + ["respect"] * 40
    with pytest.raises(CouncilError, match="promises: Tuple should have at most 80 items"):
        load(write(tmp_path, second_council(81)))


def second_council(promises: int) -> dict[str, Any]:
    """Another council's pledge: its own name and number, many promises under headings."""
    data = leeds()
    data["council"].update(name="Anytown Council", phone="01632 960 000")
    data["sections"] = [
        {"key": "respect", "title": "Respect you"},
        {"key": "care", "title": "Care for you"},
    ]
    data["promises"] = [
        {
            "key": f"promise_{n}",
            "title": f"Promise {n}",
            "section": "respect" if n % 2 else "care",
            "card": f"We promise thing number {n}.",
        }
        for n in range(1, promises + 1)
    ]
    data["characters"] = []
    return data


@pytest.mark.parametrize("band", ["under_5", "5_to_9", "10_plus"])
def test_a_second_council_adopts_the_app_by_editing_the_file_alone(
    tmp_path: Path, sqlite_url: str, band: str
) -> None:
    from tests.helpers import choose

    path = write(tmp_path, second_council(65))
    app = create_app(settings_for(sqlite_url, COUNCIL_FILE=str(path)))
    client = app.test_client()
    home = soup(client.get("/"))
    assert "Anytown Council makes promises" in home.get_text()
    assert home.select_one('a[href="tel:01632960000"]')
    choose(client, band)
    page = soup(client.get("/promises"))
    assert [h2.get_text() for h2 in page.select("main h2")][:2] == ["Respect you", "Care for you"]
    assert len(page.select(".promise-list li")) == 65
    assert "We promise thing number 65." in page.get_text()


def test_a_story_page_for_no_promise_is_named(tmp_path: Path) -> None:
    data = leeds()
    data["characters"][0]["pages"]["stay_saef"] = "A typo."
    with pytest.raises(
        CouncilError, match="'jenny' has pages for stay_saef, which are not promises"
    ):
        load(write(tmp_path, data))


def test_the_story_words_say_whether_the_council_signed_them_off(tmp_path: Path) -> None:
    data = leeds()
    del data["characters"][0]["sign_off"]
    with pytest.raises(CouncilError, match=r"characters\[1\] \(key 'jenny'\)\.sign_off"):
        load(write(tmp_path, data))


@pytest.mark.parametrize(
    ("where", "key", "colour"),
    [
        ("app", "theme_colour", "#7fb3ff"),
        ("app", "accent_colour", "#333333"),
        ("app", "soft_colour", "#222222"),
    ],
)
def test_a_colour_children_could_not_read_stops_the_app(
    tmp_path: Path, where: str, key: str, colour: str
) -> None:
    data = leeds()
    data[where][key] = colour
    with pytest.raises(CouncilError, match=f"{key} {colour} gives .* at least 4.5:1 is needed"):
        load(write(tmp_path, data))
