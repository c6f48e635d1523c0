"""The council's own words come from council.toml: the working week (the days counted and the
words children read), the team's and service's names, the printed headings."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import tomli_w
from babel import Locale
from flask import Flask

from app import create_app
from app.council import COUNCIL_FILE, CouncilError, load
from app.deadlines import Clock
from app.templating import week_in_words
from tests.helpers import choose, settings_for, soup

SECOND = Path(__file__).parent / "councils" / "second.toml"
LONDON = ZoneInfo("Europe/London")
SUNDAY_TO_THURSDAY = ["sunday", "monday", "tuesday", "wednesday", "thursday"]


def leeds_with(tmp_path: Path, **response: Any) -> Path:
    data = tomllib.loads(COUNCIL_FILE.read_text(encoding="utf-8"))
    data["response"].update(response)
    path = tmp_path / "council.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("days", "locale", "abbreviated", "words"),
    [
        ({0, 1, 2, 3, 4}, "en", False, "Monday to Friday"),
        ({0, 1, 2, 3, 4}, "en", True, "Mon to Fri"),
        ({6, 0, 1, 2, 3}, "en", False, "Sunday to Thursday"),  # a run across the week's end
        ({0, 1, 2, 3, 4, 5}, "en", False, "Monday to Saturday"),
        ({0, 2, 4}, "en", False, "Monday, Wednesday, and Friday"),  # CLDR's English
        ({0, 2, 4}, "en_GB", False, "Monday, Wednesday and Friday"),
        ({5, 6}, "en", False, "Saturday and Sunday"),
        ({2}, "en", False, "Wednesday"),
        (set(range(7)), "en", False, "every day"),
        ({0, 2, 4}, "fr", False, "lundi, mercredi et vendredi"),  # the page's language
    ],
)
def test_the_working_week_in_words(
    page_app: Flask, days: set[int], locale: str, abbreviated: bool, words: str
) -> None:
    with page_app.test_request_context():
        said = week_in_words(frozenset(days), Locale.parse(locale), abbreviated=abbreviated)
    assert said == words


def test_the_working_week_is_monday_to_friday_unless_the_council_says(tmp_path: Path) -> None:
    data = tomllib.loads(COUNCIL_FILE.read_text(encoding="utf-8"))
    data["response"].pop("working_days")
    path = tmp_path / "council.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    assert load(path).response.clock.working_days == frozenset({0, 1, 2, 3, 4})


@pytest.mark.parametrize(
    ("days", "named"),
    [
        (["monday", "funday"], "response.working_days[2]: Input should be 'monday'"),
        (["monday", "monday"], "response.working_days: Value error, a day is named twice"),
        ([], "response.working_days: Tuple should have at least 1 item"),
    ],
)
def test_a_wrong_working_week_is_refused_by_its_key(
    tmp_path: Path, days: list[str], named: str
) -> None:
    with pytest.raises(CouncilError) as error:
        load(leeds_with(tmp_path, working_days=days))
    assert named in str(error.value)


def test_the_clock_counts_the_councils_working_days(tmp_path: Path) -> None:
    clock = load(leeds_with(tmp_path, working_days=SUNDAY_TO_THURSDAY)).response.clock
    # Thursday 10:00: 14 hours left on Thursday, none on Friday or Saturday, 24 on Sunday, and
    # the last 10 on Monday. (Leeds, Monday to Friday, says Monday 10:00.)
    thursday = dt.datetime(2026, 11, 26, 10, tzinfo=LONDON)
    assert clock.response_due(thursday) == dt.datetime(2026, 11, 30, 10, tzinfo=LONDON)
    assert Clock().response_due(thursday) == dt.datetime(2026, 11, 30, 10, tzinfo=LONDON)
    friday = dt.datetime(2026, 11, 27, 10, tzinfo=LONDON)
    assert clock.response_due(friday) == dt.datetime(2026, 12, 1, 0, tzinfo=LONDON)
    assert Clock().response_due(friday) == dt.datetime(2026, 12, 1, 10, tzinfo=LONDON)
    assert clock.in_office_hours(dt.datetime(2026, 11, 29, 10, tzinfo=LONDON))  # a Sunday
    assert not clock.in_office_hours(friday)


def test_the_pages_say_the_councils_working_week(tmp_path: Path, sqlite_url: str) -> None:
    path = leeds_with(tmp_path, working_days=SUNDAY_TO_THURSDAY)
    client = create_app(settings_for(sqlite_url, COUNCIL_FILE=str(path))).test_client()
    for url in ("/", "/tell-us", "/talk-to-someone"):
        text = soup(client.get(url)).get_text(" ", strip=True)
        assert "48 hours (Sunday to Thursday)" in text, url
        assert "Monday to Friday" not in text, url
    card = soup(client.get("/print/card")).get_text(" ", strip=True)
    assert "48 hours (Sun to Thu)" in card and "Mon to Fri" not in card
    choose(client, "10_plus", symbols=True)
    easy = soup(client.get("/tell-us")).select_one(".easy-read").get_text(" ", strip=True)
    assert "We will talk to you within 48 hours, Sunday to Thursday." in easy


def test_the_second_council_is_shaped_like_a_real_pledge() -> None:
    """tests/councils/second.toml, which `make test` runs the suite on as well as Leeds' file."""
    second, leeds = load(SECOND), load(COUNCIL_FILE)
    assert len(second.promises) == 10 and len(second.sections) == 3
    assert all(promise.section for promise in second.promises)
    assert max(len(promise.card or "") for promise in second.promises) >= 990
    assert not second.characters and not any(promise.story for promise in second.promises)
    assert any(not promise.easy_read for promise in second.promises)
    assert any(not promise.poster for promise in second.promises)
    assert any(not promise.card for promise in second.promises)
    for key in ("name", "service_name", "team_name", "phone", "email", "website"):
        assert getattr(second.council, key) != getattr(leeds.council, key), key
    assert second.staff != leeds.staff and second.app != leeds.app and second.print != leeds.print
    assert not {p.key for p in second.promises} & {p.key for p in leeds.promises}
