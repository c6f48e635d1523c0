"""News by Web Push, on the status page: off until the child taps "Tell me when there's news".

Only with JavaScript (app/static/js/push.js), and only where the browser can: the page shows
the button only then, and the status page itself stays the way to check without it. The phone
must hold the message (its secret in the cookie), as for every status page; the request is
JSON from this site (sending_later.same_site), so no other page can turn it on or off.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from app import contacts
from app.child.blueprint import bp
from app.child.my_messages import mine
from app.child.sending_later import same_site
from app.contacts import news
from app.extensions import csrf_exempt, db
from app.push import application_server_key
from app.timekeeping import now


def _answer(on: bool, code: int = 200) -> Response:
    response = jsonify({"on": on})
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


def _endpoint(value: Any) -> str | None:
    """A push service's URL: https, or a fake one on this machine while testing."""
    if not isinstance(value, str) or len(value) > 1000:
        return None
    testing = current_app.config["TESTING"] and value.startswith("http://127.0.0.1:")
    return value if value.startswith("https://") or testing else None


@bp.app_template_global()
def push_key() -> str:
    return application_server_key(current_app.config["VAPID_PRIVATE_KEY"])


@csrf_exempt  # JSON from this site only (same_site): see the module's docstring
@bp.post("/messages/<reference>/news")
def turn_news_on(reference: str) -> Response:
    contact = mine(reference)
    sent = request.get_json(silent=True) if request.is_json else None
    if not same_site() or not isinstance(sent, dict):
        return _answer(False, 400)
    given = sent.get("keys")
    keys: dict[str, Any] = given if isinstance(given, dict) else {}
    endpoint = _endpoint(sent.get("endpoint"))
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if endpoint is None or not isinstance(p256dh, str) or not isinstance(auth, str):
        return _answer(False, 400)
    if len(p256dh) > 200 or len(auth) > 100:
        return _answer(False, 400)
    if not contacts.status(contact).can_add:
        return _answer(False, 409)  # finished: there will be no more news
    news.subscribe(db.session(), contact, endpoint, p256dh, auth, now())
    db.session.commit()
    return _answer(True)


@csrf_exempt  # JSON from this site only
@bp.post("/messages/<reference>/news/off")
def turn_news_off(reference: str) -> Response:
    contact = mine(reference)
    sent = request.get_json(silent=True) if request.is_json else None
    if not same_site() or not isinstance(sent, dict) or not isinstance(sent.get("endpoint"), str):
        return _answer(True, 400)
    news.unsubscribe(db.session(), contact, sent["endpoint"])
    db.session.commit()
    return _answer(False)
