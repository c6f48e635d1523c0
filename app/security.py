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
    """The headers every response carries: each page, and each static file (which WhiteNoise
    serves before Flask sees the request, so app/static_files.py adds these same ones)."""
    found = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "X-Frame-Options": "DENY",
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
