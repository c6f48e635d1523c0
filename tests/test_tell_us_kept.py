"""A Tell Us question kept once made (app/child/tell_us_kept.py): every kept question is byte
for byte the question drawn afresh, for every child's choices and answers so far, its token is
this request's and works, and nothing the child typed is ever kept."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from typing import Any

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.child import tell_us_kept
from tests import journey
from tests.helpers import choose, csrf_token
from tests.test_kept_parts import VARIANTS, child, token_masked

WORDS = "My social worker does not call me back <3"


@pytest.fixture(autouse=True)
def _house_rules_in_english_again(client: FlaskClient) -> Iterator[None]:
    yield
    type(client).expect_lang, type(client).expect_dir = "en", "ltr"


def kept(app: Flask) -> dict[Any, str]:
    """Each kept question's text, its stand-in where the token goes (its compressed sides are
    made from that very text)."""
    held = app.extensions.get("kept_questions", {})
    return {key: page.text(tell_us_kept.STAND_IN) for key, page in held.items()}


def afresh_and_kept(app: Flask, client: FlaskClient, url: str) -> str:
    """The question drawn afresh, then kept, then from the store: the same bytes each time
    but for the token, which is each request's own. Its kept page."""
    app.config["KEEP_PAGES"] = False
    expected = client.get(url)
    app.config["KEEP_PAGES"] = True
    first, again = client.get(url), client.get(url)
    assert expected.status_code == first.status_code == again.status_code == 200, url
    made = [token_masked(page.get_data(as_text=True)) for page in (expected, first, again)]
    assert made[1] == made[0], f"{url}: the question as kept is not the question drawn afresh"
    assert made[2] == made[0], f"{url}: the kept question, shown again, is not as drawn afresh"
    page = again.get_data(as_text=True)
    assert tell_us_kept.STAND_IN not in page
    return page


def each_question(client: FlaskClient) -> list[str]:
    asked = [f"/tell-us/{step}" for step in journey.STEPS]
    return [url for url in asked if client.get(url).status_code == 200]


@pytest.mark.parametrize(("age", "symbols", "lang"), VARIANTS)
def test_every_question_kept_is_the_question_drawn_afresh(
    app: Flask, age: str, symbols: bool, lang: str
) -> None:
    """First as a new message asks it (nothing answered), then with its choices answered,
    asked again from "check your answers" (change=1)."""
    client = child(app, age, symbols, lang)
    for step, answer in journey.STEPS.items():
        url = f"/tell-us/{step}"
        if client.get(url).status_code != 200:
            continue  # a question these answers do not ask
        afresh_and_kept(app, client, url)
        assert journey.answer(client, step, **answer).status_code == 303
    for url in each_question(client):
        afresh_and_kept(app, client, url)
        afresh_and_kept(app, client, f"{url}?change=1")
    assert kept(app), "no question was kept"


def test_a_kept_question_shows_each_child_their_own_answers(app: Flask) -> None:
    """Two children, the same question, different answers and so a different place in the
    journey: each sees their own choice ticked, their own question number and back link."""
    by_phone, by_text = app.test_client(), app.test_client()
    pages = {}
    for client, how in ((by_phone, "phone"), (by_text, "text")):
        choose(client, "10_plus")
        journey.fill_in(client, how={"how": how})
        pages[how] = {
            step: afresh_and_kept(app, client, f"/tell-us/{step}")
            for step in ("how", "best_time", "advocate")
        }
    for how in ("phone", "text"):
        assert re.search(rf'value="{how}"\s+checked', pages[how]["how"]), how
    assert pages["phone"]["best_time"] != pages["text"]["best_time"]  # one more question
    assert 'href="/tell-us/leave_message"' in pages["phone"]["best_time"]
    assert 'href="/tell-us/contact"' in pages["text"]["best_time"]


def test_a_kept_question_carries_a_token_that_works(app: Flask, client: FlaskClient) -> None:
    """The token in a kept page is this session's: another child's would be refused."""
    choose(client, "10_plus")
    other = app.test_client()
    choose(other, "10_plus")
    other.get("/tell-us/what")  # made and kept with the other child's token
    page = client.get("/tell-us/what").get_data(as_text=True)
    assert kept(app), "the question was not kept"
    answered = client.post("/tell-us/what", data={"csrf_token": csrf_token(page), "kind": "praise"})
    assert answered.status_code == 303, "the kept page's token was refused"
    assert answered.headers["Location"] == "/tell-us/promises"


def test_nothing_the_child_typed_is_kept(app: Flask, client: FlaskClient) -> None:
    choose(client, "10_plus", symbols=True)
    typed = {
        "words": {"words": WORDS},
        "name": {"name": "Jo Zebedee"},
        "contact": {"phone": "07700 900 555"},
        "best_time": {"best_time": "After school"},
        "language": {"language": "Tigrinya please"},
        "helps": {"helps_other": "My rabbit"},
    }
    journey.fill_in(client, **typed)
    for url in each_question(client):
        client.get(url)
        client.get(f"{url}?change=1")
        client.get(f"{url}?from=<my own words>")
    held = "".join(kept(app).values())
    assert held, "no question was kept"
    assert 'name="csrf_token" type="hidden" value=""' not in held
    assert re.search(r'name="csrf_token"[^>]*value="[^"]*[.][^"]*"', held) is None, "a token"
    for said in ("social worker does not", "Zebedee", "900 555", "After school", "Tigrinya"):
        assert said not in held, said
    for said in ("My rabbit", "my own words", "my%20own", "my+own"):
        assert said not in held, said


def test_a_question_with_errors_is_never_kept(app: Flask, client: FlaskClient) -> None:
    choose(client, "10_plus")
    page = client.get("/tell-us/what").get_data(as_text=True)
    refused = client.post("/tell-us/what", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 200
    assert "There is a problem" in refused.get_data(as_text=True)
    assert not any("There is a problem" in made for made in kept(app).values())
    again = client.get("/tell-us/what").get_data(as_text=True)
    assert "There is a problem" not in again


CONDITIONS = ({}, {"If-None-Match": "*"}, {"If-Modified-Since": "Tue, 24 Nov 2026 10:00:00 GMT"})


def test_a_kept_question_as_gzip_is_the_question_compressed_afresh(app: Flask) -> None:
    """Kept with each side of its token compressed already (the token between them stored as
    it is): every question a phone takes as gzip unpacks to the question drawn afresh and
    compressed by Flask-Compress, with the same headers, conditional requests included, and
    its token works. (Flask's own client: the house rules' client reads pages as text.)"""
    client = FlaskClient(app, app.response_class)
    choose(client, "10_plus")
    gzipped = {"Accept-Encoding": "gzip, deflate"}

    def headers(response: Any) -> list[tuple[str, str]]:
        # Each with its Date, whose value is the clock's: two requests can fall either side
        # of a second (CI: 22:41:16 and 22:41:17).
        return sorted(
            (k, "" if k == "Date" else v)
            for k, v in response.headers.items()
            if k != "Content-Length"
        )

    for step, answer in journey.STEPS.items():
        url = f"/tell-us/{step}"
        if client.get(url).status_code != 200:
            continue  # a question these answers do not ask
        for asked in CONDITIONS:
            sent = {**gzipped, **asked}
            app.config["KEEP_PAGES"] = False
            expected = client.get(url, headers=sent)
            app.config["KEEP_PAGES"] = True
            client.get(url, headers=sent)  # made and kept
            again = client.get(url, headers=sent)
            assert again.status_code == expected.status_code == 200, url
            assert headers(again) == headers(expected), url
            assert again.headers["Content-Encoding"] == "gzip"
            page = gzip.decompress(again.data).decode()
            assert token_masked(page) == token_masked(gzip.decompress(expected.data).decode())
        response = client.post(url, data={"csrf_token": csrf_token(page), **answer})
        assert response.status_code == 303, url
    assert kept(app), "no question was kept"


def test_a_phone_preferring_brotli_is_sent_the_kept_gzip_and_one_without_gzip_its_own(
    app: Flask,
) -> None:
    """Every browser takes gzip: the kept question goes to it as gzip, made once, even when it
    prefers brotli (made afresh, brotli saved about 130 bytes for about 150 us of CPU). A phone
    that takes only brotli, or nothing, is sent that, with the same page inside."""
    client = FlaskClient(app, app.response_class)
    choose(client, "10_plus")
    app.config["KEEP_PAGES"] = False
    fresh = client.get("/tell-us/what").get_data(as_text=True)
    app.config["KEEP_PAGES"] = True
    client.get("/tell-us/what")  # made and kept
    phone = client.get("/tell-us/what", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert phone.headers["Content-Encoding"] == "gzip"
    assert token_masked(gzip.decompress(phone.data).decode()) == token_masked(fresh)
    only_brotli = client.get("/tell-us/what", headers={"Accept-Encoding": "br"})
    assert only_brotli.headers["Content-Encoding"] == "br"
    assert token_masked(brotli.decompress(only_brotli.data).decode()) == token_masked(fresh)
    plain = client.get("/tell-us/what", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert token_masked(plain.get_data(as_text=True)) == token_masked(fresh)
