"""Which language a page is in: the child's choice in the `lang` cookie, else the browser's
Accept-Language, else English; `<html lang dir>` right in all seven; staff pages in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from babel import Locale
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import get_locale

from app import i18n
from app.child import kept_pages
from tests.conftest import HouseRulesClient
from tests.helpers import choose, soup

LANGS = {"en": "ltr", "ar": "rtl", "ckb": "rtl", "fa": "rtl", "pl": "ltr", "ro": "ltr", "ur": "rtl"}
OWN_NAMES = {
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "ur": "اردو",
    "pl": "Polski",
    "ro": "Română",
}


@pytest.fixture
def client(page_client: FlaskClient) -> Iterator[FlaskClient]:
    """A client whose house rules expect whatever language the test says it is in."""
    choose(page_client, "10_plus")
    yield page_client


def expect(lang: str) -> None:
    HouseRulesClient.expect_lang, HouseRulesClient.expect_dir = (
        lang,
        LANGS[lang],
    )  # undone by conftest


def html(client: FlaskClient, url: str = "/promises", **headers: str) -> tuple[str, str]:
    page = soup(client.get(url, headers=headers))
    return page.html["lang"], page.html["dir"]


def test_the_languages_offered_are_english_and_every_shipped_catalogue(page_app: Flask) -> None:
    assert page_app.config["LANGUAGES"] == ["en", "ar", "ckb", "fa", "pl", "ro", "ur"]
    with page_app.test_request_context("/"):
        names = {item["lang"]: item["name"] for item in i18n.menu()}
    assert {lang: names[lang] for lang in OWN_NAMES} == OWN_NAMES
    assert names["ckb"].startswith("کوردی")


@pytest.mark.parametrize("lang", LANGS)
def test_the_cookie_chooses_the_language_and_its_direction(client: FlaskClient, lang: str) -> None:
    client.set_cookie("lang", lang)
    expect(lang)
    assert html(client) == (lang, LANGS[lang])
    assert html(client, "/help") == (lang, LANGS[lang])


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        ("ar", "ar"),
        ("ur-PK,ur;q=0.9,en;q=0.5", "ur"),
        ("fa-IR", "fa"),
        ("ckb-IQ", "ckb"),
        ("pl-PL,pl;q=0.9", "pl"),
        ("ro", "ro"),
        ("en-GB", "en"),
        ("de-DE,fr;q=0.8", "en"),  # nothing offered: English
        ("de-DE,ro;q=0.3", "ro"),  # the first offered in the browser's order
    ],
)
def test_without_a_cookie_accept_language_decides(
    client: FlaskClient, accept: str, lang: str
) -> None:
    expect(lang)
    assert html(client, **{"Accept-Language": accept}) == (lang, LANGS[lang])


def test_the_cookie_wins_over_accept_language_and_a_stale_cookie_is_ignored(
    client: FlaskClient,
) -> None:
    client.set_cookie("lang", "pl")
    expect("pl")
    assert html(client, **{"Accept-Language": "ar"}) == ("pl", "ltr")
    client.set_cookie("lang", "xx")  # a language no longer offered
    expect("ar")
    assert html(client, **{"Accept-Language": "ar"}) == ("ar", "rtl")
    expect("en")
    assert html(client) == ("en", "ltr")


@pytest.mark.parametrize("lang", LANGS)
def test_a_languages_kept_locale_is_the_one_parsed_afresh(page_app: Flask, lang: str) -> None:
    """app/i18n.py parses each language's Locale once and hands the same one to every request:
    it must be what parsing the tag afresh gives, whichever way the language was chosen."""
    asked = [{"Cookie": f"lang={lang}"}, {"Accept-Language": f"{lang};q=0.9, xx"}]
    for headers in asked * 2:  # the second time, the one kept
        with page_app.test_request_context("/", headers=headers):
            found = get_locale()
            assert found == Locale.parse(lang) and str(found) == lang


def test_the_query_string_does_not_choose_a_language(client: FlaskClient) -> None:
    assert html(client, "/promises?lang=ar") == ("en", "ltr")


def test_choosing_sets_a_years_cookie_and_goes_back_to_the_same_page(client: FlaskClient) -> None:
    response = client.get("/language?lang=ar&next=/promises/story/x?a=1")
    assert response.status_code == 303
    assert response.headers["Location"] == "/promises/story/x?a=1"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=ar;")
    assert "Max-Age=31536000" in cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie
    expect("ar")
    assert html(client) == ("ar", "rtl")


@pytest.mark.parametrize(
    "query",
    ["lang=xx&next=/help", "lang=&next=/help", "next=/help"],
)
def test_an_unknown_language_sets_nothing(client: FlaskClient, query: str) -> None:
    response = client.get(f"/language?{query}")
    assert response.status_code == 303 and response.headers["Location"] == "/help"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_choosing_goes_back_only_to_a_page_of_this_site(client: FlaskClient, target: str) -> None:
    response = client.get("/language", query_string={"lang": "pl", "next": target})
    assert response.headers["Location"] == "/"


def test_the_menu_is_on_every_child_page_and_marks_the_language_in_use(
    client: FlaskClient,
) -> None:
    client.set_cookie("lang", "fa")
    expect("fa")
    for url in ("/", "/promises", "/help", "/tell-us", "/messages/find", "/choose"):
        menu = soup(client.get(url)).select_one("nav.language-menu")
        assert menu is not None, url
        links = menu.select("a[hreflang]")
        assert [a["lang"] for a in links] == list(LANGS), url
        assert all(a["href"].endswith(f"&next={url}") for a in links), url
        current = menu.select('a[aria-current="true"]')
        assert [a["lang"] for a in current] == ["fa"], url
        assert {a["lang"]: a["dir"] for a in links} == LANGS


def test_kept_pages_are_kept_apart_for_each_language(page_app: Flask, client: FlaskClient) -> None:
    """The plain pages are made once per (path, language, age, symbols): a language must never
    be served another's page."""
    page_app.config["KEEP_PAGES"] = True
    kept_pages.forget(page_app)
    seen = {}
    for lang in ["en", "ar", "pl", "en", "ar", "pl"]:
        client.set_cookie("lang", lang)
        expect(lang)
        page = soup(client.get("/promises"))
        assert page.html["lang"] == lang
        seen.setdefault(lang, set()).add(page.select_one("h1").get_text(strip=True))
    assert all(len(titles) == 1 for titles in seen.values())
    assert len({titles.pop() for titles in seen.values()}) == 3


def test_the_council_words_come_in_the_page_language(client: FlaskClient) -> None:
    english = soup(client.get("/")).get_text(" ", strip=True)
    client.set_cookie("lang", "ar")
    expect("ar")
    text = soup(client.get("/")).get_text(" ", strip=True)
    assert client.application.extensions["council"].council.service_name in english
    translations = client.application.extensions["council_translations"]
    if "ar" in translations:  # the second council ships only some languages
        assert translations["ar"].council.service_name in text
        assert client.application.extensions["council"].council.service_name not in text


def test_staff_pages_stay_in_english_whatever_the_child_chose(client: FlaskClient) -> None:
    client.set_cookie("lang", "ar")
    expect("en")
    for url in ("/staff/sign-in", "/staff/no-such-page"):
        page = soup(client.get(url, headers={"Accept-Language": "ar"}))
        assert (page.html["lang"], page.html["dir"]) == ("en", "ltr"), url
