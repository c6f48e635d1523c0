"""A response body made once and kept with its compressed copies and its ETag.

Flask-Compress compresses every response again, at a quick setting: for a body that never
changes (a kept page, a sheet of symbols) that is the same work on every request, and bigger
bytes than need be. A `Kept` body is compressed at most once per coding, at the smallest
setting, when a phone first asks for that coding; the response carries its Content-Encoding,
so Flask-Compress leaves it alone, and an ETag, so a phone that holds it is answered
"304 Not Modified" with no body.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import brotli
from flask import Response, current_app, request
from werkzeug.http import http_date, quote_etag
from werkzeug.utils import get_content_type

from app import accepting

# How each coding is made, in the order the config prefers them (COMPRESS_ALGORITHM): made
# once a body, so the slowest, smallest settings cost nothing later.
CODINGS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=11),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}
# What makes a request conditional (werkzeug's make_conditional and is_resource_modified).
CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)


def asked_coding() -> str | None:
    """The coding this request's phone is sent a page in, as Flask-Compress would choose it
    (None: as it is): worked out once per Accept-Encoding value (app/accepting.py)."""
    accepted = tuple(c for c in current_app.config["COMPRESS_ALGORITHM"] if c in CODINGS)
    return accepting.best_coding(request.headers.get("Accept-Encoding", ""), accepted)


def conditional(answer: Response) -> Response:
    """What Flask-Compress's make_conditional does to a page it compressed, for one that came
    compressed (which Flask-Compress leaves alone)."""
    environ = request.environ  # through Flask's proxy once, not for each name
    if any(name in environ for name in CONDITIONS):
        answer.make_conditional(request)  # 304 and no body when the phone holds it
    elif environ["REQUEST_METHOD"] in ("GET", "HEAD"):
        # All make_conditional does for a request that asks nothing of it, which it does
        # only after looking for each of those headers among the response's own.
        answer.headers.add("Date", http_date())
    return answer


@dataclass
class Kept:
    """A body, its ETag, and each compressed copy once asked for, with its headers."""

    body: bytes
    mimetype: str
    etag: str = ""
    coded: dict[str, bytes] = field(default_factory=dict)
    # Each coding's headers (None: the body as it is), made with its copy: setting them one
    # at a time on each response cost a kept page a tenth of a bare Flask "hello" (issue 15).
    headers: dict[str | None, list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.etag = hashlib.blake2b(self.body, digest_size=12).hexdigest()

    def response(self) -> Response:
        coding = asked_coding()
        if coding not in self.headers:
            self._make(coding)
        body = self.body if coding is None else self.coded[coding]
        return conditional(Response(body, headers=self.headers[coding]))

    def _make(self, coding: str | None) -> None:
        """The copy in this coding and its headers, as Flask's own calls would set them."""
        if coding is not None and coding not in self.coded:
            self.coded[coding] = CODINGS[coding](self.body)
        body = self.body if coding is None else self.coded[coding]
        etag = self.etag if coding is None else f"{self.etag}:{coding}"
        self.headers[coding] = [
            ("Content-Type", get_content_type(self.mimetype, "utf-8")),
            ("Content-Length", str(len(body))),
            *([("Content-Encoding", coding)] if coding is not None else []),
            ("ETag", quote_etag(etag)),
            ("Vary", "Accept-Encoding"),
        ]
