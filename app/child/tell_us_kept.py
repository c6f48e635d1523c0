"""A Tell Us question as it first shows, made once per way of showing it and then kept.

Twenty-six of a message's thirty requests are its questions and their answers, and drawing a
question (its macros, a radio and a picture for each choice, gettext, url_for) was two thirds
of a question's CPU (issue 15). A question shows the same page to every child who has the same
choices and the same answers so far, except for its form's token. So a question page is kept
once made, by everything it shows, and served with this request's token put in its place.

A page is made afresh, and not kept, whenever it might show more: anything the child typed
(only a choice's code, or nothing, may stand in a kept page: the words, a name, a number or
an email address never go into the server's memory), a query string other than "change=1", a
flashed message, the child's own card, a page with errors (only a GET is kept), and the
development server. tests/test_tell_us_kept.py draws every question both ways, in every
variant, and compares the bytes.

Compressing the page again for every phone that asks for gzip (Flask-Compress) was a sixth of
a kept question's CPU (issue 15). So a page is kept with the two sides of its token already
compressed, each on its own: the token goes between them as deflate's uncompressed block, and
the gzip check sum is worked out over the whole page. Any other coding is compressed afresh.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, request, session
from flask_wtf.csrf import generate_csrf
from wtforms import BooleanField, RadioField, SelectMultipleField
from wtforms.fields.core import UnboundField

from app.child import tell_us_forms as forms
from app.child.tell_us_steps import STEP_LIST
from app.compressed import asked_coding, conditional
from app.kept_store import Store, showing
from app.preferences import Preferences

# Stands for the form's token in a kept page: a token is letters, digits, "-", "_" and ".".
STAND_IN = "kept-question-token-5e0b"
# Every variant with room to spare: 13 questions, asked or changed, in 3 age bands, symbols on
# and off, a dozen languages, and the few choices each question has.
MOST = 2048
# An answer's code is short (a promise's key at most): anything longer is not kept.
LONGEST_CODE = 64
_CHOICES = (RadioField, SelectMultipleField, BooleanField)


def _chosen_only() -> frozenset[str]:
    """The answers that are always a choice's code, never words typed: only these may be kept."""
    chosen: set[str] = set()
    typed: set[str] = set()
    for form in {step.form for step in STEP_LIST} | {forms.PraiseForm, forms.EmailForm}:
        for name, field in vars(form).items():
            if isinstance(field, UnboundField):
                (chosen if issubclass(field.field_class, _CHOICES) else typed).add(name)
    return frozenset(chosen - typed)


CHOSEN = _chosen_only()


def _code(value: Any) -> Any:
    """`value` as part of a key when it is a choice (or none), else ... (Ellipsis: not kept)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value if len(value) <= LONGEST_CODE else ...
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value) if all(len(v) <= LONGEST_CODE for v in value) else ...
    return ...


def key(step: str, fields: tuple[str, ...], values: dict[str, Any], *shown: Any) -> Any:
    """What the question page shows depends on, or None when it must be made afresh: the
    question, the request's address, the language, the child's choices, the answers its
    fields hold (codes only) and `shown`, whatever else the view draws it with."""
    if request.method != "GET" or current_app.debug or not current_app.config["KEEP_PAGES"]:
        return None
    if request.query_string not in (b"", b"change=1") or "_flashes" in session:
        return None
    prefs = Preferences.current()
    if prefs.has_card:
        return None
    answers = []
    for name in fields:
        value = values.get(name)
        held = _code(value) if name in CHOSEN else (value if value in (None, "") else ...)
        if held is ...:
            return None  # words the child typed: never kept
        answers.append(held)
    return (step, request.full_path, *showing(prefs), *shown, *answers)


# gzip's header as gzip.compress(..., compresslevel=9, mtime=0) writes it (RFC 1952).
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def _deflated(text: bytes, end: int) -> bytes:
    """`text` as raw deflate data, on its own: it refers to nothing before it."""
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return squeezer.compress(text) + squeezer.flush(end)


@dataclass(frozen=True)
class Page:
    """A kept question: its text either side of the token, and each side compressed."""

    before: str
    after: str
    gzip_before: bytes  # gzip's header, then `before` ending on a byte (a full flush)
    gzip_after: bytes  # `after`, the last block of the stream
    sum_before: int  # the CRC-32 of `before`
    size: int  # the bytes of `before` and `after`

    @classmethod
    def of(cls, page: str) -> Page:
        before, _, after = page.partition(STAND_IN)
        first, last = before.encode(), after.encode()
        return cls(
            before,
            after,
            GZIP_HEADER + _deflated(first, zlib.Z_FULL_FLUSH),
            _deflated(last, zlib.Z_FINISH),
            zlib.crc32(first),
            len(first) + len(last),
        )

    def text(self, token: str) -> str:
        return self.before + token + self.after

    def gzipped(self, token: str) -> bytes:
        """The page with `token`, as gzip: the token in a stored block (RFC 1951 3.2.4)."""
        raw = token.encode()
        stored = struct.pack("<BHH", 0, len(raw), len(raw) ^ 0xFFFF) + raw
        whole = zlib.crc32(self.after.encode(), zlib.crc32(raw, self.sum_before))
        end = struct.pack("<II", whole, (self.size + len(raw)) & 0xFFFFFFFF)
        return b"".join((self.gzip_before, stored, self.gzip_after, end))


_QUESTIONS: Store[Page] = Store("kept_questions")
forget = _QUESTIONS.forget


def found(kept_as: Any) -> str | Response | None:
    """The kept page, with this request's form token, or None when it is not kept yet: as
    gzip, ready to send, to a phone that takes it (Flask-Compress leaves it as it is)."""
    page = _QUESTIONS.get(kept_as)
    if page is None:
        return None
    token = generate_csrf()
    if asked_coding() != "gzip":
        return page.text(token)
    answer = Response(page.gzipped(token), mimetype="text/html")
    answer.headers["Content-Encoding"] = "gzip"
    return conditional(answer)


def keep(kept_as: Any, page: str) -> None:
    """Keep `page`, drawn for `kept_as`, with a stand-in for its token (when it has it once)."""
    token = generate_csrf()
    if page.count(token) != 1 or STAND_IN in page:
        return
    _QUESTIONS.put(kept_as, Page.of(page.replace(token, STAND_IN)), MOST)
