"""A person's words, kept as they typed them.

Plain text is never run through an HTML sanitiser: that silently deleted children's words
("I hate <school>" arrived as "I hate "). It is escaped wherever it is shown. Only what has
no place in text is taken out: NUL and the other control characters (not newlines or tabs),
and the invisible marks that can flip how text is shown.
"""

from __future__ import annotations

import re
import unicodedata

from app.contacts.refusals import Refusal, Refused

WORDS_LIMIT = 5000
SHORT_LIMIT = 100

_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """The text without what has no place in it, line ends made alike, ends trimmed."""
    return _UNWANTED.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def kept(text: str, limit: int = WORDS_LIMIT) -> str:
    """`plain(text)`, or Refused when it is longer than `limit` characters."""
    text = plain(text)
    if len(text) > limit:
        raise Refused(Refusal.TOO_LONG)
    return text


def has_visible_words(text: str) -> bool:
    """Something a reader can see: not only spaces, zero-width marks or control characters."""
    return any(unicodedata.category(ch)[0] not in "ZC" for ch in text)
