"""The frame of a dynamic page made once and kept (app/kept_parts.py): every page drawn with
kept parts is byte for byte the page drawn afresh, in every way of showing it, and nothing of
the child or the request is ever kept."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import kept_parts
from tests import journey
from tests.helpers import choose, soup

AGES = ("under_5", "5_to_9", "10_plus")
# Every variant: three age bands, symbols off and on, and a right-to-left language.
VARIANTS = [(age, symbols, "en") for age in AGES for symbols in (False, True)] + [
    ("10_plus", False, "ar"),
    ("5_to_9", True, "ar"),
]
WORDS = "My social worker does not call me back."
# The page's own address goes into the menu's links: odd characters must come out as url_for
# writes them.
ODD = "/tell-us/what?change=1&x=<a b>\"é'%2F+ok"


def token_masked(html: str) -> str:
    """The page without its CSRF tokens, which differ from one request to the next (they are
    signed with the time) whatever is kept."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", html)


def afresh_and_kept(app: Flask, client: FlaskClient, url: str, post: bool = False) -> None:
    fetch = client.post if post else client.get
    app.config["KEEP_PAGES"] = False
    expected = fetch(url)
    app.config["KEEP_PAGES"] = True
    first, again = fetch(url), fetch(url)
    assert expected.status_code == first.status_code == again.status_code, url
    assert expected.status_code in {200, 400}, (url, expected.status_code)
    made = [token_masked(page.get_data(as_text=True)) for page in (expected, first, again)]
    assert made[1] == made[0], f"{url}: a kept part is not what was drawn afresh"
    assert made[2] == made[0], f"{url}: a kept part, shown again, is not what was drawn afresh"


def child(app: Flask, age: str, symbols: bool, lang: str) -> FlaskClient:
    client = app.test_client()
    # The house rules check every page's <html lang dir>: in the language chosen here.
    rtl = lang in {"ar", "ckb", "fa", "ur"}
    type(client).expect_lang, type(client).expect_dir = lang, "rtl" if rtl else "ltr"
    assert client.get(f"/language?lang={lang}&next=/").status_code == 303
    choose(client, age, symbols)
    return client


@pytest.fixture(autouse=True)
def _house_rules_in_english_again(client: FlaskClient) -> Iterator[None]:
    yield
    type(client).expect_lang, type(client).expect_dir = "en", "ltr"


@pytest.mark.parametrize(("age", "symbols", "lang"), VARIANTS)
def test_a_page_with_kept_parts_is_the_page_drawn_afresh(
    app: Flask, age: str, symbols: bool, lang: str
) -> None:
    client = child(app, age, symbols, lang)
    journey.fill_in(client, words={"words": WORDS})
    steps = [f"/tell-us/{step}" for step in journey.STEPS]
    for url in [*steps, "/tell-us/check", ODD, "/choose", "/my-card"]:
        if client.get(url).status_code == 303:
            continue  # a question these answers do not ask
        afresh_and_kept(app, client, url)
    afresh_and_kept(app, client, "/tell-us/name", post=True)  # an error, and the name kept
    reference = journey.reference_on(client.get(journey.send(client).headers["Location"]))
    afresh_and_kept(app, client, "/tell-us/sent")
    afresh_and_kept(app, client, f"/messages/{reference}")
    afresh_and_kept(app, client, "/messages")
    assert app.extensions["kept_parts"], "nothing was kept"


def test_nothing_of_the_child_is_kept(app: Flask) -> None:
    client = child(app, "10_plus", True, "en")
    journey.fill_in(client, words={"words": WORDS}, name={"name": "Jo Zebedee"})
    for step in journey.STEPS:
        client.get(f"/tell-us/{step}?from=<my own words>")
    client.get("/tell-us/check")
    sent = client.get(journey.send(client).headers["Location"])  # the confirmation
    reference = journey.reference_on(sent)
    three = soup(sent).select_one(".memorable-words").get_text(strip=True)
    client.get(f"/messages/{reference}")
    kept = "".join(app.extensions["kept_parts"].values())
    # A form kept (the status page's) holds the stand-in for the token, never a token.
    tokens = re.findall(r'name="[^"]*csrf_token"[^>]*value="([^"]*)"', kept)
    assert tokens and set(tokens) == {kept_parts.TOKEN}
    for said in (WORDS, "Zebedee", reference, three, "my own words", "my%20own", "my+own"):
        assert said not in kept, said


def test_each_way_of_showing_a_page_is_kept_apart(app: Flask) -> None:
    """A frame kept for one child's choices is never shown to a child who chose otherwise:
    each variant, one after the other in the same worker, drawn afresh and with kept parts."""
    for age, symbols, lang in VARIANTS:
        client = child(app, age, symbols, lang)
        for url in ("/tell-us/what", "/messages", "/my-card"):
            afresh_and_kept(app, client, url)
