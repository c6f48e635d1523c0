"""Security headers on every response.

Every asset comes from our own origin, so the policy can be strict: no inline script or
style, no framing, no plugins, nothing from anywhere else.
"""

from __future__ import annotations

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
    own (an SVG is a document then): the policy, with its frame-ancestors, nosniff, no
    referrer, same-origin only, https. Not the three that only govern a page's own window:
    on a symbol page's forty small pictures they were 190 of each picture's 1,100 bytes."""
    found = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if secure:
        found["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return found


def _add_headers(response: Response, secure: bool) -> Response:
    for name, value in headers(secure).items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        # Pages follow the child's choices (held in their cookie), so no shared cache may keep
        # them; a view that shows something personal says no-store itself.
        response.headers.setdefault("Cache-Control", "private, no-cache")
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    secure = bool(app.config["SECURE"])
    app.after_request(lambda response: _add_headers(response, secure))
