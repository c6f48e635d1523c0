"""The frame of a child page, made once per way of showing it and then kept: the parts of
dynamic pages (a question, a status page) that say nothing about the child or the request.

Every child page draws the same header (the site's name, the menu, the language menu, the
quick exit), the same <head> links and the same footer: some 30 gettext calls, 20 url_for
builds and the language menu, a third of a question page's CPU (issue 15). They differ only by
the page's template (it may override a block of the header), its language, and the child's
age band, symbol mode and display choices, so a part wrapped in

    {% call(here) kept_part("header") %}...{% endcall %}

is rendered once per (part, template, language, age band, symbols, display) and served from
this worker's memory after that, as app/child/kept_pages.py does with whole plain pages.

The one thing of the request a part may show is the page's own address, `here`, which the
menu's links carry (`next=`) to come back to the page. A part is kept with a stand-in for it,
and the real address is put in its place, encoded exactly as url_for encodes a query value,
each time the part is shown. A part must use nothing else of the request: no form token, no
flashed message, nothing the child typed, no card. tests/test_kept_parts.py renders each page
with parts kept and afresh, in every variant, and compares the bytes.

A part of one message's status page may also depend on a few values the same for every child
whose message is there (its stage, whether news is on), named after the part's name, and on
the message's reference, in the addresses of its forms:

    {% call(here, reference) kept_part("news", news_on, reference=contact.reference) %}

is kept once per stage or news setting and way of showing it, made with a stand-in for the
reference that the real one (capitals and digits, which url_for and escaping leave as they
are) replaces each time it is shown. tests/test_status_page_bytes.py compares those pages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from flask import Flask, current_app, has_request_context, request
from jinja2 import pass_context
from jinja2.runtime import Context, Macro
from markupsafe import Markup, escape

from app.kept_store import Store, showing
from app.preferences import Preferences

# Stands for the page's address while a part is made to be kept: url_for and escaping leave it
# as it is, and no frame says it otherwise.
HERE = "/kept-part-here-f3d1"
# Stands for a message's reference (app/contacts/access.py: six capitals and digits), and for
# the request's form token (URL-safe base64, dots and dashes: escaping leaves both as they are).
REFERENCE = "KEPTREFERENCE7F3D1"
TOKEN = "kept-form-token-7f3d1"  # noqa: S105 (a stand-in, not a secret)
# What werkzeug leaves unescaped in a query value (werkzeug.urls._urlencode).
URL_SAFE = "!$'()*,/:;?@"
# Every part of every template in every variant, with room to spare: a few parts of 40
# templates in 3 age bands, symbols on and off, in a dozen languages.
MOST = 4096


_PARTS: Store[Markup] = Store("kept_parts")
forget = _PARTS.forget


def _key(context: Context, name: str, also: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """What the part shows depends on, or None when it must be made afresh."""
    if current_app.debug or not current_app.config["KEEP_PAGES"]:
        return None
    prefs = Preferences.current()
    return (name, context.name, *showing(prefs), *also)


def _in_link(here: str) -> Markup:
    """`here` as it stands in an href's query, url_for's encoding then the template's escaping."""
    return escape(quote_plus(here, safe=URL_SAFE))


def _made(caller: Macro, here: str, reference: str | None) -> Markup:
    """The part rendered: a macro's output is Markup already, under autoescape."""
    made = caller(here) if reference is None else caller(here, reference)
    assert isinstance(made, Markup), "a kept part is rendered with autoescape"
    return made


@pass_context
def kept_part(
    context: Context,
    name: str,
    *also: Any,
    caller: Macro,
    reference: str | None = None,
    token: str | None = None,
) -> Markup:
    """`token`, the request's form token (csrf_token()), when the part holds forms: it is
    made with the token, which is kept as a stand-in and put back each time it is shown."""
    here = request.full_path.rstrip("?") if has_request_context() else ""
    key = _key(context, name, also)
    if key is None:
        return _made(caller, here, reference)
    found = _PARTS.get(key)
    if found is None:
        made = _made(caller, HERE, None if reference is None else REFERENCE)
        if token is not None:
            made = made.replace(token, TOKEN)
        found = _PARTS.put(key, made, MOST)
    shown = found.replace(HERE, _in_link(here))
    if reference is not None:
        shown = shown.replace(REFERENCE, reference)
    return shown if token is None else shown.replace(TOKEN, token)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(kept_part=kept_part)
