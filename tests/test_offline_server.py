"""The server's side of installing and offline use (issue 12): the manifest and its icons, the
service worker and what it may keep, the page to write offline, and a kept message sent later."""

from __future__ import annotations

import itertools
import json
import uuid
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import i18n, offline_choices
from app.child import installing
from app.extensions import db
from app.models import Contact, Draft
from app.preferences import AgeBand, Display
from tests.conftest import HouseRulesClient
from tests.helpers import A_PROMISE, COUNCIL, choose, post_form, soup
from tests.journey import fill_in, send, send_form

STATIC = Path(__file__).resolve().parent.parent / "app" / "static"
WORDS = "I <3 my carer & 5 > 3\u202e!"
KEPT = "I <3 my carer & 5 > 3!"  # as typed, less the direction-override mark


def contacts() -> int:
    return db.session.scalar(select(func.count()).select_from(Contact)) or 0


def worker_settings(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/sw.js")
    first = response.get_data(as_text=True).splitlines()[0]
    assert first.startswith("self.OUR_PROMISE = ") and first.endswith(";")
    settings: dict[str, Any] = json.loads(first.removeprefix("self.OUR_PROMISE = ")[:-1])
    return settings


def test_the_manifest_names_the_council_and_its_png_icons(client: FlaskClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["name"] == COUNCIL.app.name and manifest["short_name"] == COUNCIL.app.short_name
    assert manifest["theme_color"] == COUNCIL.app.theme_colour
    purposes = sorted((icon["purpose"], icon["sizes"]) for icon in manifest["icons"])
    assert purposes == [
        ("any", "192x192"),
        ("any", "512x512"),
        ("maskable", "192x192"),
        ("maskable", "512x512"),
    ]
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        path = STATIC / icon["src"].removeprefix("/static/").split("?")[0]
        assert path.is_file(), f"{path.name} missing: run make icons"
    touch = soup(client.get("/")).select_one("link[rel=apple-touch-icon]")
    assert touch is not None and "-apple-touch.png?v=" in str(touch["href"])


def test_the_service_worker_is_served_from_the_root_and_never_cached(client: FlaskClient) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=0"
    assert response.mimetype == "text/javascript"
    assert 'addEventListener("fetch"' in response.get_data(as_text=True)


def test_it_keeps_only_pages_with_nothing_personal_at_the_urls_the_pages_use(
    client: FlaskClient,
) -> None:
    settings = worker_settings(client)
    assert not [
        page for page in settings["pages"] if page.startswith(("/messages", "/staff", "/tell-us/"))
    ]
    stranger = client.application.test_client()  # no cookie, as the worker fetches them
    for page in settings["pages"]:
        response = stranger.get(page)
        assert response.status_code == 200, page
        assert "no-store" not in response.headers.get("Cache-Control", ""), page
    html = client.get("/").get_data(as_text=True)
    for asset in ("css/app.css", "js/app.js", "js/kept.js"):
        hashed = next(a for a in settings["assets"] if a.startswith(f"/static/{asset}?v="))
        assert hashed in html  # the very URL the pages ask for
    for asset in settings["assets"]:
        response = client.get(asset)
        response.close()  # WhiteNoise answers with the open file
        assert response.status_code == 200, asset
    assert settings["kept"] in settings["assets"]


def released(tmp_path: Path) -> Path:
    """The static files with app.css changed, beside the real ones (which another test run on
    this machine may be reading): links to each file, and a changed copy of the sheet."""
    folder = tmp_path / "static"
    folder.mkdir()
    for entry in STATIC.iterdir():
        if entry.name != "css":
            (folder / entry.name).symlink_to(entry)
    (folder / "css").mkdir()
    for sheet in (STATIC / "css").iterdir():
        if sheet.name != "app.css":
            (folder / "css" / sheet.name).symlink_to(sheet)
    changed = (STATIC / "css" / "app.css").read_bytes() + b"\n/* changed */\n"
    (folder / "css" / "app.css").write_bytes(changed)
    return folder


def test_a_new_release_makes_a_new_worker(client: FlaskClient, tmp_path: Path) -> None:
    app = client.application
    before = worker_settings(client)["version"]
    folder = app.static_folder
    try:
        app.static_folder = str(released(tmp_path))
        # A release starts new workers, which work out the static URLs afresh.
        app.extensions.pop("static_urls", None)
        assert worker_settings(client)["version"] != before
    finally:
        app.static_folder = folder
        app.extensions.pop("static_urls", None)
    assert worker_settings(client)["version"] == before


def test_a_version_of_the_promises_can_be_asked_for_without_changing_the_childs_choice(
    client: FlaskClient,
) -> None:
    choose(client, "10_plus")
    page = soup(client.get("/promises?age=5_to_9"))
    assert page.select_one(".promise-list li").get_text(strip=True) == COUNCIL.promises[0].words(
        "poster"
    )
    mine = soup(client.get("/promises"))
    assert mine.select_one(".promise-list li").get_text(strip=True) == COUNCIL.promises[0].words(
        "card"
    )


CHOICES = "Our-Promise-Choices"


def pages_in(lang: str, direction: str) -> None:
    """The house rules' check of <html lang dir> expects this language (reset after each test)."""
    HouseRulesClient.expect_lang, HouseRulesClient.expect_dir = lang, direction


def test_every_child_page_names_the_choices_it_was_made_with(client: FlaskClient) -> None:
    pages_in("ar", "rtl")
    home = client.get("/", headers={"Accept-Language": "ar"})
    assert home.headers[CHOICES] == ""  # the browser's language is no choice of the child's
    assert 'lang="ar"' in home.get_data(as_text=True)
    client.get("/language?lang=ar")
    choose(client, "10_plus", symbols=True)
    post_form(client, "/display", display=["contrast", "larger"], next="/")
    for path in ("/", "/help", "/promises", "/about"):
        assert client.get(path).headers[CHOICES] == (
            "lang=ar&age=10_plus&symbols=yes&display=contrast+larger"
        ), path
    assert CHOICES not in client.get("/manifest.webmanifest").headers


def test_the_choices_header_made_once_for_each_way_of_choosing_is_the_one_made_afresh(
    page_app: Flask,
) -> None:
    """app/child/installing.py names each set of choices once: what it hands every page must
    be what app/offline_choices.py writes for those choices, for every way of choosing."""
    displays = [
        frozenset(chosen)
        for size in range(len(Display) + 1)
        for chosen in itertools.combinations(Display, size)
    ]
    with page_app.app_context():
        languages = [None, *i18n.languages()]
    for lang, age, symbols, display in itertools.product(
        languages, [None, *AgeBand], [False, True], displays
    ):
        afresh = offline_choices.as_text(
            lang, age.value if age else None, symbols, [choice.value for choice in display]
        )
        for _ in range(2):  # made, then kept
            assert installing._named(lang, age, symbols, display) == afresh


def test_the_service_worker_gets_a_page_in_the_childs_choices_without_their_cookies(
    app: Flask,
) -> None:
    """What sw.js sends (credentials omitted): the page in Arabic, in their age band and with
    their display choices, and nothing stored on the phone by asking."""
    phone = app.test_client(use_cookies=False)
    pages_in("ar", "rtl")
    asked = {CHOICES: "lang=ar&age=5_to_9&display=contrast", "Accept-Language": "en"}
    page = phone.get("/promises", headers=asked)
    assert page.status_code == 200
    html = soup(page).select_one("html")
    assert html is not None and (html["lang"], html["dir"]) == ("ar", "rtl")
    assert "display-contrast" in html.get("class", [])
    assert page.headers[CHOICES] == "lang=ar&age=5_to_9&display=contrast"
    assert "Set-Cookie" not in page.headers
    without = phone.get("/promises", headers={"Accept-Language": "en"})
    assert without.status_code == 302  # no age band chosen: asked to choose one
    pages_in("en", "ltr")
    nonsense = phone.get("/help", headers={CHOICES: "lang=xx&age=99&display=blink&x=1"})
    html = soup(nonsense).select_one("html")
    assert html is not None and html["lang"] == "en" and "display-blink" not in str(html)
    assert nonsense.headers[CHOICES] == ""


def test_asking_in_the_childs_choices_never_brings_their_card(client: FlaskClient) -> None:
    post_form(client, "/my-card", worker_name="Sam Worker", worker_phone="0113 000 0000")
    assert "Sam Worker" in client.get("/").get_data(as_text=True)
    pages_in("pl", "ltr")
    asked = client.get("/", headers={CHOICES: "lang=pl"}).get_data(as_text=True)
    assert "Sam Worker" not in asked and "0113 000 0000" not in asked


def test_the_worker_keeps_its_pages_again_in_the_childs_choices(client: FlaskClient) -> None:
    settings = worker_settings(client)
    assert settings["header"] == CHOICES
    assert set(settings["pages"]) < set(settings["chosen"])
    assert "/promises" in settings["chosen"] and "/offline/words.json" in settings["chosen"]
    assert not [p for p in settings["chosen"] if p.startswith(("/messages", "/staff", "/tell-us/"))]


WRITTEN = {"kind": "not_kept", "promises": [A_PROMISE], "words": WORDS, "helper": "nobody"}


def test_without_javascript_the_page_to_write_offline_leads_into_the_steps(
    client: FlaskClient,
) -> None:
    response = post_form(client, "/offline/write", **WRITTEN)
    assert (response.status_code, response.headers["Location"]) == (303, "/tell-us/reach")
    page = soup(client.get("/tell-us/words"))
    assert page.select_one("#words").get_text() == KEPT


def test_a_stale_page_to_write_offline_keeps_every_answer(client: FlaskClient) -> None:
    response = client.post("/offline/write", data={**WRITTEN, "csrf_token": "stale"})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".error-summary") is not None
    assert page.select_one("#words").get_text() == KEPT


def test_praise_written_offline_needs_a_name(client: FlaskClient) -> None:
    response = post_form(client, "/offline/write", **{**WRITTEN, "kind": "praise"})
    assert response.status_code == 400
    assert "Tell us who you want to praise" in response.get_data(as_text=True)


def kept(key: str | None = None, secret: str | None = None, **answers: Any) -> dict[str, Any]:
    return {
        "key": key or uuid.uuid4().hex,
        "secret": secret or uuid.uuid4().hex,
        "answers": {**WRITTEN, **answers},
    }


def send_kept(client: FlaskClient, message: dict[str, Any], **headers: str) -> Any:
    return client.post("/tell-us/send", json=message, headers=headers)


def test_a_kept_message_makes_one_contact_however_often_it_is_sent(client: FlaskClient) -> None:
    message = kept()
    first = send_kept(client, message)
    assert first.status_code == 201 and first.headers["Cache-Control"] == "no-store"
    reference = first.get_json()["reference"]
    again = send_kept(client, message)
    assert (again.status_code, again.get_json()["reference"]) == (200, reference)
    assert contacts() == 1
    assert reference in client.get("/tell-us/sent").get_data(as_text=True)
    assert reference in client.get("/messages").get_data(as_text=True)
    stored = db.session.scalar(select(Contact))
    assert stored is not None and stored.message["words"] == KEPT


def test_a_kept_message_whose_answer_was_lost_is_still_this_phones(client: FlaskClient) -> None:
    """The server took it, but the answer (and its cookie) never reached the phone."""
    message = kept()
    cookie = client.get_cookie("session")
    reference = send_kept(client, message).get_json()["reference"]
    client.delete_cookie("session")
    if cookie is not None:
        client.set_cookie("session", cookie.value)
    again = send_kept(client, message)
    assert (again.status_code, again.get_json()["reference"]) == (200, reference)
    assert reference in client.get("/messages").get_data(as_text=True)
    assert contacts() == 1


def test_a_kept_key_from_another_phone_opens_nothing(app: Flask, client: FlaskClient) -> None:
    message = kept()
    reference = send_kept(client, message).get_json()["reference"]
    other = app.test_client()
    replay = send_kept(other, {**message, "secret": uuid.uuid4().hex})
    assert replay.status_code == 409
    assert reference not in replay.get_data(as_text=True)
    assert reference not in other.get("/messages").get_data(as_text=True)
    assert contacts() == 1


def test_a_kept_message_from_check_your_answers_uses_the_draft(client: FlaskClient) -> None:
    fill_in(client)
    form_sent = send_form(client)
    key = form_sent["submission_key"]
    page = soup(client.get("/tell-us/check"))
    form = page.select_one("form[data-message]")
    assert form is not None
    answers = json.loads(str(form["data-message"]))
    response = send_kept(client, {"key": key, "secret": uuid.uuid4().hex, "answers": answers})
    assert response.status_code == 201
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 0
    stored = db.session.scalar(select(Contact))
    assert stored is not None and stored.reach is not None and stored.reach["name"] == "Jo"
    # The form's own send, pressed again: the same message.
    again = send(client, form_sent)
    assert (again.status_code, again.headers["Location"]) == (303, "/tell-us/sent")
    assert contacts() == 1


def test_a_kept_message_the_rules_refuse_says_why(client: FlaskClient) -> None:
    response = send_kept(client, kept(words="   "))
    assert response.status_code == 400 and response.get_json()["problem"]
    shapeless = client.post("/tell-us/send", json={"key": "short", "answers": []})
    assert shapeless.status_code == 400 and shapeless.get_json()["problem"]
    assert contacts() == 0


def test_a_kept_message_is_only_taken_from_this_site(client: FlaskClient) -> None:
    response = send_kept(client, kept(), Origin="https://elsewhere.example")
    assert response.status_code == 403
    response = send_kept(client, kept(), **{"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert contacts() == 0


def test_the_words_for_kept_messages_are_fetched_only_when_needed(client: FlaskClient) -> None:
    page = soup(client.get("/"))
    status = page.select_one("[data-kept-status]")
    assert status is not None and status.get("role") == "status" and status.has_attr("hidden")
    assert "Keep it on this phone" not in str(page)  # not on every first load
    words = client.get(str(status["data-words"])).get_json()
    assert words["send"] == "/tell-us/send" and words["sent_page"] == "/tell-us/sent"
    assert words["keep"] == "Keep it on this phone and send it when I'm online"
    assert words["discard"] == "Delete it"
    assert "{reference}" in words["sent"] and "{n}" in words["many"]
    assert str(status["data-words"]) in worker_settings(client)["assets"]
