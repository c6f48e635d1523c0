"""Form data read so that bytes which are not UTF-8 are noticed, not quietly changed.

Werkzeug reads a form's invalid UTF-8 in two different ways, neither of which a form can
see: percent-escaped in a urlencoded body it keeps the escape as text ("%FF" arrives as the
three characters "%FF"), and in a multipart body it puts U+FFFD in place of the bytes, which
looks just like a U+FFFD someone typed. A browser never sends either from our pages, so they
come from a broken or hostile client, and the kind answer is a form error on that field
("part of this could not be read"), not words saved with pieces missing.

So the body is decoded here with the bytes kept (surrogateescape), and any field whose bytes
were not UTF-8 is listed in `request.form.unreadable` (its value holds U+FFFD where the bytes
were, as a standard decoder would give). `app.forms.BaseForm` turns the list into errors.
Everything else (limits, streaming files) is Werkzeug's own parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any
from urllib.parse import parse_qsl

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.formparser import FormDataParser, MultiPartParser

_ESCAPED = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of a byte that is not UTF-8


class FormData(ImmutableMultiDict[str, str]):
    """The form's fields, and the names of those whose bytes were not UTF-8."""

    unreadable: frozenset[str] = frozenset()


def _readable(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _form(pairs: Iterable[tuple[str, str]]) -> FormData:
    kept: list[tuple[str, str]] = []
    unreadable: set[str] = set()
    for name, value in pairs:
        readable = _readable(name)
        if _ESCAPED.search(value):
            value = _readable(value)
            unreadable.add(readable)
        kept.append((readable, value))
    form = FormData(kept)
    form.unreadable = frozenset(unreadable)
    return form


class _MultiPartParser(MultiPartParser):
    def get_part_charset(self, headers: Any) -> str:
        # Each byte as one character, so none is lost; decoded as UTF-8 in _form. Pages are
        # UTF-8 and browsers send forms in the page's encoding.
        return "latin-1"


class StrictFormDataParser(FormDataParser):
    def _parse_urlencoded(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str],
    ) -> Any:
        body = stream.read().decode("utf-8", "surrogateescape")
        pairs = parse_qsl(body, keep_blank_values=True, errors="surrogateescape")
        return stream, _form(pairs), self.cls()

    def _parse_multipart(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str],
    ) -> Any:
        parser = _MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        fields, files = parser.parse(stream, boundary, content_length)
        as_bytes = (
            (name, value.encode("latin-1").decode("utf-8", "surrogateescape"))
            for name, value in fields.items(multi=True)
        )
        return stream, _form(as_bytes), files


class StrictRequest(Request):
    form_data_parser_class = StrictFormDataParser


def init_app(app: Flask) -> None:
    app.request_class = StrictRequest
