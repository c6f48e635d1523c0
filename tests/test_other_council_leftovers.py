"""Another council's app says nothing of Leeds: every child page, in every age band and in
symbol mode, the whole message journey, its status at each stage, and the emails it causes,
rendered on the second council's file and searched for Leeds' words.

What counts as Leeds' words is read from Leeds' council.toml (its names, numbers, addresses,
headings, characters and promises, and the place name, area code and web domain they contain),
less what the second council says too. Leeds' printed headings are plain phrases that the app
may say for itself ("Our promise to you" is the app's heading, so Leeds' symbol poster heading
"Our promise" is no leftover): those alone are dropped when the app says them through gettext.
This test always runs on the second council's file, whichever council the run is about.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import contacts, create_app
from app.council import COUNCIL_FILE
from app.council import office as office_of
from app.extensions import db
from app.models import Contact, OutboxMessage
from tests.helpers import LEEDS, choose, migrate, settings_for
from tests.journey import answer, reference_on, send

SECOND = Path(__file__).parent / "councils" / "second.toml"
APP = Path(__file__).parent.parent / "app"
BANDS = ["under_5", "5_to_9", "10_plus"]


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def app_words() -> list[str]:
    """Everything the app says through gettext, in its templates and code."""
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    found: list[str] = []
    for _, _, message, _, _ in extract_from_dir(
        str(APP), method_map, keywords={"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)}
    ):
        found.extend([message] if isinstance(message, str) else [m for m in message if m])
    return found


def leeds_words() -> list[str]:
    data = tomllib.loads(COUNCIL_FILE.read_text(encoding="utf-8"))
    council = LEEDS.council
    said = app_words()
    headings = {h for h in strings(data["print"]) if not any(h in words for words in said)}
    candidates = headings
    for table in ("council", "staff", "app", "characters", "sections", "promises"):
        candidates |= {value for value in strings(data.get(table, {})) if len(value) > 3}
    candidates -= set(LEEDS.staff.themes)  # staff choose these; no child reads them
    candidates -= {character.key for character in LEEDS.characters}
    candidates -= {promise.key for promise in LEEDS.promises}
    candidates |= {character.name.split()[0] for character in LEEDS.characters}  # "Jenny"
    candidates |= {
        council.name.split()[0],  # "Leeds"
        council.phone.split()[0],  # the area code, "0113"
        council.phone.replace(" ", ""),  # as a tel: link has it
        council.emergency_duty_team_phone.replace(" ", ""),
        council.email.split("@")[1],  # "leeds.gov.uk"
        council.website.removeprefix("https://"),
        *re.findall(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+", council.service_name),  # "We Care"
    }
    theirs = list(strings(tomllib.loads(SECOND.read_text(encoding="utf-8"))))
    return sorted(word for word in candidates if not any(word in said for said in theirs))


LEFTOVERS = leeds_words()


def test_the_list_of_leftovers_is_leeds_own() -> None:
    """The list is made by rules; check it holds what a person would look for."""
    for word in ("Leeds", "0113", "leeds.gov.uk", "Tell Us", "We Care", "Tell Us team", "Jenny"):
        assert word in LEFTOVERS, word
    assert "Lola the Lion" in LEFTOVERS and "Robbie the Rabbit" in LEFTOVERS
    assert all(promise.title in LEFTOVERS for promise in LEEDS.promises)
    assert "Our promise" not in LEFTOVERS  # the app's own heading says it too


@pytest.fixture(scope="module")
def second_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path_factory.mktemp('second') / 'second.sqlite3'}"
    migrate(url)
    app = create_app(settings_for(url, COUNCIL_FILE=str(SECOND)))
    yield app
    with app.app_context():
        db.engine.dispose()


def pages_seen_by_a_child(app: Flask, band: str, symbols: bool) -> dict[str, str]:
    """Every page a child can reach, with its HTML: the plain pages, each question of the
    message and its errors, the confirmation, and the status at each stage."""
    client: FlaskClient = app.test_client()
    choose(client, band, symbols)
    seen: dict[str, str] = {}

    def get(url: str, expect: int = 200) -> None:
        response = client.get(url)
        assert response.status_code == expect, url
        seen[url] = response.get_data(as_text=True)

    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("child.")]
    for rule in rules:
        # /sw.js is code, not words: its JavaScript says Promise, as Leeds' short name does.
        # /language only sets the language and goes back: a redirect, with no words.
        skip = {"/exit", "/sw.js", "/language"}
        if "GET" in rule.methods and not rule.arguments and rule.rule not in skip:
            get(rule.rule, 302 if rule.rule in {"/tell-us/check", "/tell-us/sent"} else 200)
    for character in LEEDS.characters:
        get(f"/promises/story/{character.key}", 404)
    get("/no-such-page", 404)
    promise = app.extensions["council"].promises[-1].key
    steps = {
        "what": {"kind": "praise"},
        "promises": {"promises": [promise]},
        "words": {"words": "Thank you", "praise_name": "Sam", "praise_role": "carer"},
        "name": {"name": ""},
        "how": {"how": ""},
        "language": {"language": ""},
        "advocate": {"advocate": ""},
        "helper": {"helper": "carer"},
    }
    for step, data in steps.items():
        get(f"/tell-us/{step}")
        refused = answer(client, step)  # nothing chosen: the page with its errors, if any
        if refused.status_code == 200:
            seen[f"/tell-us/{step} (errors)"] = refused.get_data(as_text=True)
        assert answer(client, step, **data).status_code == 303, step
    get("/tell-us/check")
    assert send(client).status_code == 303
    get("/tell-us/sent")
    reference = reference_on(client.get("/tell-us/sent"))
    get(f"/messages/{reference}")
    seen[f"/messages/{reference} (sent)"] = seen.pop(f"/messages/{reference}")
    with app.app_context():
        contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
        assert contact is not None
        now = dt.datetime.now(dt.UTC)
        for kind, text in [
            ("read", None),
            ("replied_in_app", "We have read it."),
            ("more_info_asked", "Which day suits you?"),
            ("spoke_to_child", None),
            ("update_for_child", "We have booked a meeting."),
            ("closed", "Your review is fixed."),
        ]:
            contacts.record(
                db.session(),
                contact,
                kind,
                office=office_of(),
                by=contacts.By(None, "head_of_service"),
                now=now,
                text=text,
            )
            db.session.commit()
            get(f"/messages/{reference}")
            seen[f"/messages/{reference} ({kind})"] = seen.pop(f"/messages/{reference}")
        emails = db.session.scalars(select(OutboxMessage)).all()
        seen["emails"] = "\n".join(f"{email.subject}\n{email.body}" for email in emails)
    return seen


@pytest.mark.parametrize("symbols", [False, True], ids=["words", "symbols"])
@pytest.mark.parametrize("band", BANDS)
def test_no_leeds_words_on_another_councils_pages(
    second_app: Flask, band: str, symbols: bool
) -> None:
    second = second_app.extensions["council"]
    seen = pages_seen_by_a_child(second_app, band, symbols)
    assert len(seen) > 30, sorted(seen)
    found = {
        url: [word for word in LEFTOVERS if word in html.unescape(page)]
        for url, page in seen.items()
    }
    assert {url: words for url, words in found.items() if words} == {}
    # And the second council's own words are where Leeds' were.
    everything = html.unescape("\n".join(seen.values()))
    for own in (
        second.council.service_name,
        second.council.team_name,
        second.council.phone,
        second.staff.short_name,
        second.print.poster,
        second.app.name,
    ):
        assert own in everything, own
