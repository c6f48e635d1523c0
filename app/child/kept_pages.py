"""Child pages that say nothing about the child, made once per way of showing them and then kept.

The promises, home, help and the other plain pages differ only by the path, the page's language,
and the child's age band, symbol mode and display choices. Rendering them is most of a
request's cost (gettext, url_for, macros: issue 15 measured about a tenth of a bare Flask
"hello"), and children on patchy data reload them often. So a view marked `@kept` is rendered
once per (path, language, age band, symbols, display) and served from this worker's memory
after that, with its compressed copies and ETag (app/compressed.py): compressing every page
again took a kept page's request as long as a bare Flask "hello" (issue 15).

A page is made afresh, and not kept, whenever it might show something else: a query string
(never a key: anyone could fill the memory with them), a flashed message, the child's own card
(their social worker's name and number stay out of the server's memory), or the development
server (templates change under it). A kept view must render nothing else of the request: its
template may read `prefs.age`, `prefs.symbols`, `prefs.display`, the language and
`request.path`, and no form token. tests/test_kept_pages.py renders every kept page both
ways, in every variant, and compares the bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec

from flask import current_app, request, session
from werkzeug.wrappers import Response

from app.compressed import Kept
from app.kept_store import Store, showing
from app.preferences import Preferences

P = ParamSpec("P")
# Every variant of every kept page, with room to spare: about 10 pages (and a story for each
# character) in 3 age bands, symbols on and off, in a dozen languages.
MOST = 2048


_PAGES: Store[Kept] = Store("kept_pages")
forget = _PAGES.forget


def _key() -> tuple[Any, ...] | None:
    """What the page shows depends on, or None when it may show more than that."""
    if current_app.debug or request.query_string or "_flashes" in session:
        return None
    prefs = Preferences.current()
    if prefs.has_card:
        return None
    return (request.path, *showing(prefs))


def kept(view: Callable[P, str | Response]) -> Callable[P, str | Response]:
    """Serve the page from memory once made (see the module's note for when it is not).
    Only a page is kept: a redirect or an error is answered afresh each time."""

    @wraps(view)
    def page(*args: P.args, **kwargs: P.kwargs) -> str | Response:
        key = _key()
        if key is None or not current_app.config["KEEP_PAGES"]:
            return view(*args, **kwargs)
        found = _PAGES.get(key)
        if found is None:
            made = view(*args, **kwargs)
            if not isinstance(made, str):
                return made
            found = _PAGES.put(key, Kept(made.encode(), "text/html"), MOST)
        return found.response()

    page.kept = True  # type: ignore[attr-defined]
    return page
