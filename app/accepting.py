"""The best of what we offer for a browser's Accept-Language or Accept-Encoding header.

Werkzeug parses the header and matches it afresh on every request (for a language, trying
each offered one against each asked for, then again on the primary tag alone): about a tenth
of a kept page's whole cost (issue 15). Yet phones send only a handful of different headers,
the same on every page, and the answer is a pure function of the header's text and what is
offered. So it is worked out once per header value and remembered; a header longer than any
real browser sends is matched afresh, so nobody can fill the memory with long ones.
"""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import Accept, LanguageAccept
from werkzeug.http import parse_accept_header

LONGEST = 256  # characters: real Accept-Language and Accept-Encoding headers are far shorter
MOST = 512  # header values remembered per kind


def best_language(header: str, offered: tuple[str, ...]) -> str | None:
    """What `request.accept_languages.best_match(offered)` answers for this header."""
    if len(header) > LONGEST:
        return _best_language(header, offered)
    return _remembered_language(header, offered)


def best_coding(header: str, offered: tuple[str, ...]) -> str | None:
    """What `request.accept_encodings.best_match(offered)` answers for this header."""
    if len(header) > LONGEST:
        return _best_coding(header, offered)
    return _remembered_coding(header, offered)


def _best_language(header: str, offered: tuple[str, ...]) -> str | None:
    return parse_accept_header(header, LanguageAccept).best_match(offered)


def _best_coding(header: str, offered: tuple[str, ...]) -> str | None:
    return parse_accept_header(header, Accept).best_match(offered)


_remembered_language = lru_cache(maxsize=MOST)(_best_language)
_remembered_coding = lru_cache(maxsize=MOST)(_best_coding)
