"""Flask's signed-cookie session, with the work each request repeated done once.

Flask builds its itsdangerous serializer afresh for every request and checks the cookie's
signature and decodes it each time; together that cost a child's page more than a bare Flask
"hello" does (issue 15). Here the serializer is made once per set of keys, and a cookie that
holds only a child's choices (age band, symbols, language: what thousands of phones send on
every page) is checked once and then remembered by its exact value, in this worker, until the
cookie's own lifetime is over. Any other cookie (a draft, a message's secret, the child's card,
a member of staff) is checked every time and never remembered: nothing of one child stays in
the server's memory.

A remembered cookie can only be one this app signed: it is remembered after its signature was
checked, and a different byte is a different cookie, checked afresh.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app import security

# What a session may hold and still be remembered: choices that say nothing of the child, and
# the CSRF token (a per-phone random value, no secret of the server's).
CHOICES = frozenset({"age", "symbols", "lang", "_permanent", "csrf_token"})
MOST = 4096  # cookies remembered per worker; the oldest is forgotten first


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer] = {}
        self._checked: OrderedDict[tuple[Any, str], tuple[dict[str, Any], float]] = OrderedDict()

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        found = self._serializers.get(keys)
        if found is None:
            found = super().get_signing_serializer(app)
            assert found is not None
            self._serializers = {keys: found}  # keys changed (a test, a rotation): start again
            self._checked.clear()
        return found

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        now = time.time()
        key = (id(serializer), value)
        remembered = self._checked.get(key)
        if remembered is not None:
            data, signed_at = remembered
            if now - signed_at <= max_age:
                return self.session_class(dict(data))
            self._checked.pop(key, None)
        try:
            data, signed = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if _only_choices(data):
            self._checked[key] = (data, signed.timestamp())
            if len(self._checked) > MOST:
                self._checked.popitem(last=False)
        return self.session_class(data)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Flask's, with its commonest case answered first: a cookie read and left as it was
        (nearly every page) needs only Cookie in Vary, and Flask read seven settings before it
        found that out (issue 15)."""
        if session and not self.should_set_cookie(app, session):
            if session.accessed:
                security.vary_on_cookie(response, response.headers.get("Vary"))
            return
        super().save_session(app, session, response)


def _only_choices(data: Any) -> bool:
    """Whether the session holds nothing but choices, each a plain value (copied as is)."""
    return (
        isinstance(data, dict)
        and data.keys() <= CHOICES
        and all(isinstance(v, str | bool | int | None) for v in data.values())
    )
