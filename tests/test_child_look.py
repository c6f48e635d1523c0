"""The look (issue 11, point 1): the council's colours from its council.toml, the council's
characters as guides for under-10s on home, the Tell Us start and every step, the check page
and the confirmation, and a calm, plain look from 10 with no guide at all. No web font: the
app's own type is the phone's (OpenDyslexic is a display choice, loaded only when chosen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.helpers import COUNCIL, choose, soup
from tests.journey import STEPS, answer, fill_in, send

CSS = Path(__file__).resolve().parents[1] / "app" / "static" / "css"


def test_the_councils_colours_reach_every_page(client: FlaskClient) -> None:
    look = client.get("/look.css")
    assert look.status_code == 200 and look.mimetype == "text/css"
    css = look.get_data(as_text=True)
    for name, colour in (
        ("brand", COUNCIL.app.theme_colour),
        ("accent", COUNCIL.app.accent_colour),
        ("soft", COUNCIL.app.soft_colour),
    ):
        assert f"--{name}:{colour}" in css
    for character in COUNCIL.characters:  # each book's world in its colour
        assert f".world-{character.key}{{--world:{character.colour}}}" in css
    linked = soup(client.get("/")).select("link[rel=stylesheet]")
    assert any(link["href"].startswith("/look.css") for link in linked)
    app_css = (CSS / "app.css").read_text()
    assert "var(--brand)" in app_css and "var(--accent)" in app_css


def test_no_web_font_but_the_one_a_child_chooses() -> None:
    fonts = {p.name for p in CSS.glob("*.css") if "@font-face" in p.read_text()}
    assert fonts == {"display-font.css"}


def guides_on(client: FlaskClient) -> dict[str, str | None]:
    """What the guide says on each page of the journey (None where there is none)."""

    def said(response: object) -> str | None:
        guide = soup(response).select_one("main .guide")
        return guide.get_text(" ", strip=True) if guide else None

    seen = {"home": said(client.get("/")), "start": said(client.get("/tell-us"))}
    for step in STEPS:
        page = client.get(f"/tell-us/{step}")
        if page.status_code == 200:
            seen[step] = said(page)
            assert answer(client, step, **STEPS[step]).status_code == 303
    fill_in(client)
    seen["check"] = said(client.get("/tell-us/check"))
    seen["sent"] = said(client.get(send(client).headers["Location"]))
    return seen


@pytest.mark.parametrize("band", ["under_5", "5_to_9"])
def test_a_character_guides_under_10s_through_home_tell_us_and_the_confirmation(
    client: FlaskClient, band: str
) -> None:
    if not COUNCIL.characters:
        pytest.skip("this council has no characters")
    choose(client, band)
    seen = guides_on(client)
    assert set(seen) >= {"home", "start", *STEPS, "check", "sent"}
    unguided = [page for page, words in seen.items() if not words]
    assert not unguided, unguided
    names = {c.name for c in COUNCIL.characters}
    speakers = {next(n for n in names if n in words) for words in seen.values() if words}
    assert len(speakers) == len(COUNCIL.characters), speakers  # the four take turns
    home = soup(client.get("/")).select_one("main .guide img.symbol")
    assert home is not None and home["alt"] == ""  # the name is read out before the words


def test_the_guides_speak_to_each_age() -> None:
    from app.easyread import words

    for page in words.GUIDE:
        if page == "check":
            continue  # the same words for both: "Look at your answers."
        under_5, five_to_nine = words.guide(page, "under_5"), words.guide(page, "5_to_9")
        assert under_5 and five_to_nine and str(under_5) != str(five_to_nine), page


def test_from_10_the_look_is_calm_and_plain(client: FlaskClient) -> None:
    choose(client, "10_plus")
    seen = guides_on(client)
    assert not [page for page, words in seen.items() if words], seen
    assert "band-10_plus" in soup(client.get("/")).select_one("body")["class"]


def test_each_character_tells_every_promise_in_its_own_world() -> None:
    """Leeds' books (council.toml): Jenny under the sea, Lola on the savannah, Dino long ago,
    Robbie in the garden, each with its own line for every promise, no two alike. The page
    test (test_child_pages.py) checks each line reaches its page, for any council."""
    from tests.helpers import LEEDS

    assert len(LEEDS.characters) == 4
    lines = []
    for character in LEEDS.characters:
        missing = [p.key for p in LEEDS.promises if not character.pages.get(p.key)]
        assert not missing, (character.key, missing)
        lines += [character.pages[p.key] for p in LEEDS.promises]
    assert len(set(lines)) == len(lines)
