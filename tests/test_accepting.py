"""The remembered answer to a browser's Accept-Language or Accept-Encoding (app/accepting.py)
is werkzeug's own answer, for every header, asked once or many times."""

from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from app import accepting

LANGUAGES = ("en", "ar", "ckb", "fa", "pl", "ro", "ur")
CODINGS = ("br", "gzip")
LANGUAGE_HEADERS = [
    "",
    "en-GB,en;q=0.9",
    "ar",
    "ar-IQ,ar;q=0.9,en;q=0.5",
    "pl-PL",
    "de-DE,de;q=0.9",  # nothing we offer
    "fa;q=0.1,ur;q=0.8",
    "*",
    "en;q=0, ro",
    "ckb-IQ",
    "ku, ckb;q=0.5",
    "garbage;;;q=x",
    "x" * (accepting.LONGEST + 1) + ",ro",  # too long to remember: still answered
]
CODING_HEADERS = [
    "",
    "gzip, deflate, br",
    "gzip",
    "br;q=0.5, gzip;q=0.9",
    "identity",
    "*",
    "br;q=0",
    "deflate, zstd",
    "x" * (accepting.LONGEST + 1) + ",gzip",
]


def werkzeugs(header_name: str, value: str) -> Request:
    headers = {header_name: value} if value else {}
    return Request(EnvironBuilder(headers=headers).get_environ())


@pytest.mark.parametrize("header", LANGUAGE_HEADERS)
def test_the_remembered_language_is_werkzeugs_answer(header: str) -> None:
    expected = werkzeugs("Accept-Language", header).accept_languages.best_match(LANGUAGES)
    for _ in range(3):  # the first time worked out, then remembered
        assert accepting.best_language(header, LANGUAGES) == expected
    assert accepting.best_language(header, LANGUAGES[:1]) == (
        werkzeugs("Accept-Language", header).accept_languages.best_match(LANGUAGES[:1])
    )  # what is offered is part of the question


@pytest.mark.parametrize("header", CODING_HEADERS)
def test_the_remembered_coding_is_werkzeugs_answer(header: str) -> None:
    expected = werkzeugs("Accept-Encoding", header).accept_encodings.best_match(CODINGS)
    for _ in range(3):
        assert accepting.best_coding(header, CODINGS) == expected
    assert accepting.best_coding(header, ("gzip",)) == (
        werkzeugs("Accept-Encoding", header).accept_encodings.best_match(("gzip",))
    )


def test_a_header_too_long_to_remember_is_not_remembered() -> None:
    before = accepting._remembered_language.cache_info().currsize
    assert accepting.best_language("x" * (accepting.LONGEST + 1) + ",ar", LANGUAGES) == "ar"
    assert accepting._remembered_language.cache_info().currsize == before
