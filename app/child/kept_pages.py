"""Child pages that say nothing about the child, made once per way of showing them and then kept.

The promises, home, help and the other plain pages differ only by the path, the page's language,
and the child's age band and symbol mode. Rendering them is most of a request's cost (gettext,
url_for, macros: issue 15 measured about a tenth of a bare Flask "hello"), and children on
patchy data reload them often. So a view marked `@kept` is rendered once per
(path, language, age band, symbols) and served from this worker's memory after that, with its
compressed bodies (brotli and gzip, each made once, at their smallest, when first asked for) and
an ETag, so a phone that has the page already is answered "304 Not Modified" with no body.
Flask-Compress then leaves the response alone (it has its Content-Encoding): compressing every
page again took a kept page's request as long as a bare Flask "hello" (issue 15).

A page is made afresh, and not kept, whenever it might show something else: a query string
(never a key: anyone could fill the memory with them), a flashed message, the child's own card
(their social worker's name and number stay out of the server's memory), or the development
server (templates change under it). A kept view must render nothing else of the request: its
template may read `prefs.age`, `prefs.symbols`, the language and `request.path`, and no form
token. tests/test_kept_pages.py renders every kept page both ways, in every variant, and
compares the bytes.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, ParamSpec

import brotli
from flask import Flask, current_app, request, session
from flask_babel import get_locale
from werkzeug.wrappers import Response

from app.preferences import Preferences

P = ParamSpec("P")
# Every variant of every kept page, with room to spare: about 10 pages (and a story for each
# character) in 3 age bands, symbols on and off, in a dozen languages.
MOST = 2048


# How each coding is made, smallest first in the order the config prefers (COMPRESS_ALGORITHM):
# made once a page, so the slowest, smallest settings cost nothing later.
CODINGS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=11),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}


@dataclass
class Page:
    """A kept page: its bytes, their ETag, and each compressed body once asked for."""

    html: bytes
    etag: str = ""
    coded: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.etag = hashlib.blake2b(self.html, digest_size=12).hexdigest()

    def response(self) -> Response:
        accepted = [c for c in current_app.config["COMPRESS_ALGORITHM"] if c in CODINGS]
        coding = request.accept_encodings.best_match(accepted)
        if coding is None:
            answer = Response(self.html, mimetype="text/html")
            answer.set_etag(self.etag)
        else:
            if coding not in self.coded:
                self.coded[coding] = CODINGS[coding](self.html)
            answer = Response(self.coded[coding], mimetype="text/html")
            answer.headers["Content-Encoding"] = coding
            answer.set_etag(f"{self.etag}:{coding}")
        answer.vary.add("Accept-Encoding")
        return answer.make_conditional(request)


def _store() -> dict[tuple[Any, ...], Page]:
    pages: dict[tuple[Any, ...], Page] = current_app.extensions.setdefault("kept_pages", {})
    return pages


def _key() -> tuple[Any, ...] | None:
    """What the page shows depends on, or None when it may show more than that."""
    if current_app.debug or request.query_string or "_flashes" in session:
        return None
    prefs = Preferences.current()
    if prefs.has_card:
        return None
    return (request.path, str(get_locale()), prefs.age, prefs.symbols)


def kept(view: Callable[P, str | Response]) -> Callable[P, str | Response]:
    """Serve the page from memory once made (see the module's note for when it is not).
    Only a page is kept: a redirect or an error is answered afresh each time."""

    @wraps(view)
    def page(*args: P.args, **kwargs: P.kwargs) -> str | Response:
        key = _key()
        if key is None or not current_app.config["KEEP_PAGES"]:
            return view(*args, **kwargs)
        pages = _store()
        found = pages.get(key)
        if found is None:
            made = view(*args, **kwargs)
            if not isinstance(made, str):
                return made
            if len(pages) >= MOST:
                pages.clear()  # a crude bound: made again on demand, never wrong
            pages[key] = found = Page(made.encode())
        return found.response()

    page.kept = True  # type: ignore[attr-defined]
    return page


def forget(app: Flask) -> None:
    """Make every page afresh from now on (the tests' shared app, between tests)."""
    app.extensions.pop("kept_pages", None)
