"""Read aloud (issue 13): what the pages mark to read, and the recordings behind the promises
and stories for phones with no voice of their own (`make audio` made them before the tests).

What the browser does with them is tested in tests/e2e/test_read_aloud.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.child.read_aloud import recording_name
from scripts import read_aloud_audio
from tests.conftest import HouseRulesClient
from tests.helpers import COUNCIL, choose, settings_for, soup

AGES = ("under_5", "5_to_9", "10_plus")
STORIES = [
    f"/promises/story/{character.key}" + (f"/{page}" if page else "")
    for character in COUNCIL.characters
    for page in range(len(COUNCIL.promises) + 2)
]
SHIPPED = read_aloud_audio.languages()


def parts_and_lines(page: BeautifulSoup) -> tuple[list[object], list[object]]:
    return page.select("[data-read-aloud]"), page.select("[data-read-aloud] [data-line]")


def check_words(page: BeautifulSoup) -> None:
    words = page.select("[data-read-aloud-words]")
    assert len(words) == 1, "the button's words once a page"
    assert words[0]["data-read"] and words[0]["data-stop"]
    assert words[0].has_attr("hidden")
    assert str(words[0]["data-script"]).startswith("/static/js/read_aloud.js?v=")


@pytest.mark.parametrize("symbols", [False, True], ids=["words", "symbols"])
@pytest.mark.parametrize("age", AGES)
def test_every_promise_has_its_button_and_recording(
    page_client: FlaskClient, age: str, symbols: bool
) -> None:
    choose(page_client, age, symbols)
    page = soup(page_client.get("/promises"))
    check_words(page)
    parts, lines = parts_and_lines(page)
    if age == "under_5" and COUNCIL.characters and not symbols:
        # The story chooser: its two lines for the child and the grown-up; the stories follow.
        assert len(parts) == 1 and len(lines) == 2
    else:
        assert len(parts) == len(COUNCIL.promises), "a part to read beside each promise"
        for promise in COUNCIL.promises:
            part = page.select_one(
                f"[data-read-aloud]:has(#promise-{promise.key}), "
                f"#promise-{promise.key}[data-read-aloud]"
            )
            assert part is not None, promise.key
    for line in lines:
        audio = str(line.get("data-audio", ""))
        name = recording_name("en", line.get_text(" ", strip=True))
        assert audio.startswith(f"/static/audio/{name}?v="), (line, "run `make audio`")


def test_every_story_page_is_read_with_its_recordings(page_client: FlaskClient) -> None:
    for symbols in (False, True):
        choose(page_client, "under_5", symbols)
        for url in STORIES:
            page = soup(page_client.get(url))
            check_words(page)
            parts, lines = parts_and_lines(page)
            assert len(parts) == 1 and parts[0]["class"] == ["book-page"], url
            assert lines, url
            assert all(line.get("data-audio") for line in lines), (url, "run `make audio`")


@pytest.mark.parametrize("step", ["what", "promises", "words", "name", "how", "helper"])
def test_each_step_of_the_message_has_a_part_to_read(page_client: FlaskClient, step: str) -> None:
    choose(page_client, "5_to_9")
    page = soup(page_client.get(f"/tell-us/{step}", follow_redirects=True))
    check_words(page)
    parts, _ = parts_and_lines(page)
    assert len(parts) == 1 and parts[0].select_one("h1") is not None
    # Only the promises and stories are recorded: a question is read by the phone's own voice.
    assert not page.select("[data-audio]")


def test_the_start_and_the_check_page_too(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    for url in ("/tell-us", "/tell-us/check"):
        page = soup(page_client.get(url, follow_redirects=True))
        check_words(page)
        assert page.select("[data-read-aloud] h1"), url


def test_a_recording_is_an_mp3_from_our_own_origin(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    line = soup(page_client.get("/promises")).select_one("[data-audio]")
    assert line is not None
    answer = page_client.get(str(line["data-audio"]))
    assert answer.status_code == 200
    assert answer.mimetype == "audio/mpeg"
    body = answer.get_data()
    answer.close()  # WhiteNoise answers with the open file
    assert mono_16khz_mp3(body), body[:4]
    assert 1000 < len(body) < 60_000  # a line, a few seconds at 16 kbit/s
    assert "max-age=31536000" in answer.headers["Cache-Control"]


def test_a_line_without_a_recording_is_still_marked(page_app: Flask) -> None:
    with page_app.test_request_context():
        from app.child.read_aloud import read_line

        assert str(read_line("A line nobody recorded, 42.")) == " data-line"


@pytest.fixture
def every_language(sqlite_url: str) -> Flask:
    app = create_app(settings_for(sqlite_url, LANGUAGES=SHIPPED))
    app.test_client_class = HouseRulesClient
    return app


def test_each_language_its_own_recordings_but_sorani_which_espeak_cannot_say(
    every_language: Flask,
) -> None:
    assert {"ar", "fa", "ur", "ckb", "pl", "ro"} <= set(SHIPPED)
    client = every_language.test_client()
    choose(client, "5_to_9", symbols=True)
    seen = {}
    for language in SHIPPED:
        direction = "rtl" if language in ("ar", "fa", "ur", "ckb") else "ltr"
        HouseRulesClient.expect_lang, HouseRulesClient.expect_dir = language, direction
        try:
            page = soup(client.get("/promises", headers={"Accept-Language": language}))
        finally:
            HouseRulesClient.expect_lang, HouseRulesClient.expect_dir = "en", "ltr"
        words = page.select_one("[data-read-aloud-words]")
        assert words is not None
        seen[language] = str(words["data-read"])
        lines = page.select("[data-line]")
        recorded = [line for line in lines if line.get("data-audio")]
        if language == "ckb":
            assert not recorded, "espeak-ng has no Sorani voice: no recording pretends to be one"
        else:
            assert len(recorded) == len(lines) > 0, language
            for line in recorded:
                name = recording_name(language, line.get_text(" ", strip=True))
                assert name in str(line["data-audio"])
    # "Read to me" in every catalogue, not English on every page.
    assert len(set(seen.values())) == len(SHIPPED), seen


def mono_16khz_mp3(body: bytes) -> bool:
    """The first frame's header says MPEG-2 layer III, 16 kHz, one channel (no ID3 tag)."""
    return (
        body[0] == 0xFF
        and body[1] >> 5 == 0b111  # frame sync
        and (body[1] >> 3) & 3 == 0b10  # MPEG-2
        and (body[1] >> 1) & 3 == 0b01  # layer III
        and (body[2] >> 2) & 3 == 0b10  # 16,000 Hz in MPEG-2
        and body[3] >> 6 == 0b11  # mono
    )


def test_the_generator_records_a_line_with_espeak_ng(tmp_path: Path) -> None:
    assert read_aloud_audio.voice("ar") == "sem/ar"  # espeak's own, not an MBROLA voice
    assert read_aloud_audio.voice("pl") is not None
    assert read_aloud_audio.voice("ckb") is None
    short, long = tmp_path / "short.mp3", tmp_path / "long.mp3"
    read_aloud_audio.record("en", "We listen.", short)
    read_aloud_audio.record("en", "We will listen to you and help you to be heard. " * 3, long)
    assert mono_16khz_mp3(short.read_bytes()) and mono_16khz_mp3(long.read_bytes())
    assert long.stat().st_size > 3 * short.stat().st_size  # the words were spoken


def test_the_service_worker_keeps_the_script_for_offline(page_client: FlaskClient) -> None:
    from app.templating import static_url

    worker = page_client.get("/sw.js").get_data(as_text=True)
    with page_client.application.test_request_context():
        assert static_url("js/read_aloud.js") in worker
