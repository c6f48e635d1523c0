"""The child's choices, as the service worker asks for pages in them (issue 12, issue 13's gap).

The service worker keeps pages for offline reading, fetched without cookies: nothing of the
child's (their card, their messages) can be in them. But the language chosen in the menu (the
`lang` cookie), the age band, symbol mode and the display choices (the session) are not in them
either, so offline a child who chose Arabic would read the kept pages in whatever language the
browser asks for. So each child page names the choices it was made with in a response header
(app/child/installing.py), which the worker reads as a page comes from the network, and the
worker fetches its pages again, still without cookies, with the same text in a request header.
This module reads that request header; Preferences.current() and the language use what it asks
for instead of the cookies.

Only the choices are carried: never the card, never a message's secret. Nothing is written on
the phone by asking (no session is touched), and the page is the page the cookies would make,
so one the server keeps in memory (app/child/kept_pages.py) is the same either way.
"""

from __future__ import annotations

from typing import TypedDict
from urllib.parse import parse_qs, urlencode

from flask import has_request_context, request

HEADER = "Our-Promise-Choices"
LONGEST = 200  # far more than the longest real string (about 70 characters)


class Asked(TypedDict):
    lang: str
    age: str
    symbols: bool
    display: list[str]


def asked() -> Asked | None:
    """The choices the service worker asked for, or None on any ordinary request. The values
    are checked where they are used (an unknown language or age band is no choice at all).
    Read afresh each time (a few short strings), so nothing outlives its request."""
    if not has_request_context():
        return None
    sent = request.headers.get(HEADER)
    if sent is None or len(sent) > LONGEST:
        return None
    fields = parse_qs(sent, keep_blank_values=False)
    return Asked(
        lang=fields.get("lang", [""])[0],
        age=fields.get("age", [""])[0],
        symbols=fields.get("symbols", [""])[0] == "yes",
        display=" ".join(fields.get("display", [])).split(),
    )


def as_text(lang: str | None, age: str | None, symbols: bool, display: list[str]) -> str:
    """The header's value for these choices ("" when the child has chosen nothing)."""
    pairs = [("lang", lang), ("age", age), ("symbols", "yes" if symbols else None)]
    pairs.append(("display", " ".join(sorted(display)) or None))
    return urlencode([(name, value) for name, value in pairs if value])
