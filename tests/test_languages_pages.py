"""Every child page in Arabic, in every age band, symbols on and off: no English sentence left.

An English sentence is three or more Latin-letter words in a row, in a text node or in an
attribute a person reads or hears (alt, aria-label, title, placeholder, the page's title). Text
marked with another `lang` (the language menu names each language in itself) is that language's,
not English left behind. Only what the council has not translated into Arabic (app/council.py,
`untranslated`) and a few proper names may stay.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from flask.testing import FlaskClient

from app.council import untranslated
from tests.conftest import HouseRulesClient
from tests.e2e.pages import PAGES, VARIANT_IDS, VARIANTS
from tests.helpers import choose

LANG = "ar"
# Three Latin-letter words in a row, with only spaces, commas or hyphens between them (a
# dash " – " parts two phrases: the page title from the app's name).
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ ,-]+[A-Za-z][A-Za-z'’]*){2,}")
# Addresses are not words: an email address, a web address, a file name.
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\S+\.(?:svg|png|uk|org|com)\b")
# Names kept as they are in every language: the symbols' makers and their licence, which the
# licence asks to be credited in its own words.
PROPER_NAMES = (
    "All emojis designed by OpenMoji",
    "the open-source emoji and icon project",
    "CC BY-SA",
)
READ_ATTRIBUTES = ("alt", "aria-label", "title", "placeholder")


def council_words_left_in_english(council_file: Path, lang: str) -> set[str]:
    """The council's own words it has not translated into `lang`: shown in English, by design."""
    data = tomllib.loads(council_file.read_text(encoding="utf-8"))
    found = council_file.with_name(f"{council_file.stem}.{lang}.toml")
    words = tomllib.loads(found.read_text(encoding="utf-8")) if found.is_file() else {}
    left: set[str] = set()
    for where in untranslated(data, words):
        node: Any = data
        for step in where.split("."):
            node = (
                next(item for item in node if item.get("key") == step)
                if isinstance(node, list)
                else node[step]
            )
        if isinstance(node, list):  # easy read lines
            left |= {line["text"] for line in node}
        else:
            left.add(str(node))
    return left


def readable_text(page: BeautifulSoup) -> Iterator[tuple[str, str]]:
    """(where, text) for everything on the page a person reads or hears, in the page's language."""

    def own_language(node: Tag | NavigableString) -> bool:
        parent = node if isinstance(node, Tag) else node.parent
        marked = parent.find_parent(attrs={"lang": True}) if parent.get("lang") is None else parent
        return marked is None or str(marked["lang"]).split("-")[0] == LANG

    for string in page.find_all(string=True):
        if string.parent.name in ("script", "style") or not own_language(string):
            continue
        yield string.parent.name, str(string)
    for element in page.find_all(True):
        if not own_language(element):
            continue
        for attribute in READ_ATTRIBUTES:
            if element.get(attribute):
                yield f"{element.name}[{attribute}]", str(element[attribute])


def english_left(text: str, allowed: set[str]) -> list[str]:
    """The English runs in `text` that are not the council's untranslated words (whole, or a
    line cut from them for easy read) or a proper name."""
    text = NOT_WORDS.sub(" ", text)
    for words in PROPER_NAMES:
        text = text.replace(words, " ")
    return [run for run in ENGLISH.findall(text) if not any(run in words for words in allowed)]


@pytest.fixture
def arabic_client(page_client: FlaskClient) -> FlaskClient:
    HouseRulesClient.expect_lang, HouseRulesClient.expect_dir = LANG, "rtl"  # undone by conftest
    page_client.set_cookie("lang", LANG)
    return page_client


@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_every_child_page_in_arabic_has_no_english_sentence(
    arabic_client: FlaskClient, band: str, symbols: bool
) -> None:
    app = arabic_client.application
    allowed = council_words_left_in_english(Path(app.config["COUNCIL_FILE"]), LANG)
    choose(arabic_client, band, symbols)
    problems = []
    for url in PAGES:
        response = arabic_client.get(url, follow_redirects=True)
        assert response.status_code in (200, 404), url
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert page.html["lang"] == LANG and page.html["dir"] == "rtl", url
        for where, text in readable_text(page):
            problems += [f"{url} {where}: {found!r}" for found in english_left(text, allowed)]
    assert not problems, "English left in the Arabic pages:\n" + "\n".join(sorted(set(problems)))
