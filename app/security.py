"""Security headers on every response.

Every asset comes from our own origin, so the policy can be strict: no inline script or
style, no framing, no plugins, nothing from anywhere else.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
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


def _add_headers(response: Response, secure: bool) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if response.mimetype == "text/html":
        # Pages follow the child's choices (held in their cookie), so no shared cache may keep
        # them; a view that shows something personal says no-store itself.
        headers.setdefault("Cache-Control", "private, no-cache")
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    secure = bool(app.config["SECURE"])
    app.after_request(lambda response: _add_headers(response, secure))
