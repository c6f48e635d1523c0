"""Security headers on every response.

Every asset comes from our own origin, so the policy can be strict: no inline script or
style, no framing, no plugins, nothing from anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, Response

# Every fetch directive (script, style, img, font, connect, manifest, worker) falls back to
# default-src, so naming each again as 'self' would only add 125 bytes to every response: the
# headers of a symbol page's twenty pictures count against its 40 KB first load.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "geolocation",
        "camera",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)


def headers(secure: bool) -> dict[str, str]:
    """The headers every page carries (and every response Flask makes)."""
    return {
        **file_headers(secure),
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",  # for browsers older than CSP's frame-ancestors
    }


def file_headers(secure: bool) -> dict[str, str]:
    """The headers a static file carries (WhiteNoise serves them before Flask sees the request:
    app/static_files.py adds these). What protects a file fetched by a page, or opened on its
    own (an SVG is a document then, a script may be a service worker): the policy, with its
    frame-ancestors, nosniff, no referrer, same-origin only, https. Not the three that only
    govern a page's own window: on a symbol page's forty small pictures they were 190 of each
    picture's 1,100 bytes."""
    found = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, **sheet_headers()}
    if secure:
        found["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return found


def sheet_headers() -> dict[str, str]:
    """The headers a style sheet or a page's script carries: what still means something for a
    file that is never a document nor a worker. nosniff (the browser runs or applies it only as
    what it says it is), no referrer (a style sheet's own fetches follow its Referrer-Policy),
    same-origin only. A policy governs only a document or a worker, and the page that fetched
    the file has told the browser https only: the two were 190 of each sheet's and script's
    620 header bytes, on every child page's first load (issue 15's 25 KB)."""
    return {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


# A style sheet is never a document nor a worker. A script Flask makes is: the service worker
# (/sw.js), whose policy is the one its script's response carries, so it keeps the file's.
SHEETS = frozenset({"text/css"})
FILES = frozenset({"text/javascript", "application/manifest+json"})


def _adding(secure: bool) -> Callable[[Response], Response]:
    """The after_request hook, with every header's name, value and lowered name made once:
    adding them one `setdefault` at a time cost each response a tenth of a bare Flask "hello",
    and asking werkzeug for the response's mimetype and Vary parsed them again (issue 15).
    A page gets every page header; a file Flask makes (look.css, a symbol sheet, the manifest,
    the worker) gets what a static file of its kind gets; anything else, every page header."""

    def lowered(found: dict[str, str]) -> list[tuple[str, tuple[str, str]]]:
        return [(name.lower(), (name, value)) for name, value in found.items()]

    every = lowered(headers(secure))
    page = [*every, ("cache-control", ("Cache-Control", "private, no-cache"))]
    file = lowered(file_headers(secure))
    sheet = lowered(sheet_headers())

    def add(response: Response) -> Response:
        # Pages follow the child's choices (held in their cookie), so no shared cache may keep
        # them; a view that shows something personal says no-store itself. A header the view
        # set itself is left as it is.
        have = dict(reversed([(name.lower(), value) for name, value in response.headers]))
        mimetype = _mimetype(have.get("content-type", ""))
        html = mimetype == "text/html"
        if html:
            wanted = page
        elif mimetype in SHEETS:
            wanted = sheet
        elif mimetype in FILES or mimetype.startswith(("image/", "audio/", "font/")):
            wanted = file
        else:
            wanted = every
        response.headers.extend([pair for name, pair in wanted if name not in have])
        if html:
            vary_on_cookie(response, have.get("vary"))
        return response

    return add


def _mimetype(content_type: str) -> str:
    """What werkzeug's `Response.mimetype` says, without parsing the parameters we never read."""
    return content_type.partition(";")[0].strip().lower()


def vary_on_cookie(response: Response, vary: str | None) -> None:
    """`response.vary.add("Cookie")`, the same header in the same place, without parsing Vary
    into a set and writing it back on every page (a twentieth of a kept page's cost). A value
    of anything but plain names, each once, is left to werkzeug."""
    if vary is None:
        response.headers.add("Vary", "Cookie")  # where werkzeug puts it: last
        return
    names = [name.strip() for name in vary.split(",")]
    lowered = {name.lower() for name in names}
    if "cookie" in lowered:
        return
    if all(_PLAIN.fullmatch(name) for name in names) and len(lowered) == len(names):
        response.headers["Vary"] = ", ".join([*names, "Cookie"])
    else:
        response.vary.add("Cookie")


_PLAIN = re.compile(r"[A-Za-z0-9-]+")  # a header's name, which werkzeug writes back as it is


def init_app(app: Flask) -> None:
    app.after_request(_adding(bool(app.config["SECURE"])))
