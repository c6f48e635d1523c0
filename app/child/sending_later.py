"""Sending later: a message the child kept on the phone, sent when it is online again (DEC-1).

The phone keeps the message in IndexedDB with its submission key (app/static/js/kept.js) and
posts it, as JSON, to the same send URL as the form; this takes it before the form's view
does. The key makes a retry harmless: the rules make one contact of any number of sends, and
this phone (holding the secret it was sent with) is answered with the same reference however
often it asks: the phone keeps a secret of its own with the message (128 random bits), which
becomes the message's access (in the HttpOnly cookie, as for any message) when the server
takes it, and leaves the phone's storage with the message. A key sent by another phone, with
another secret, opens nothing ("already sent", 409), and the phone deletes its copy.

Only JSON is taken here, and a cross-site page cannot send JSON without the browser asking us
first (which we never allow), so the form's CSRF token is not needed: a
service worker's Background Sync has no page to read one from.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, session, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import contacts, drafts
from app.child.blueprint import bp
from app.child.tell_us import reach_of, remember
from app.council import office
from app.extensions import db
from app.labels import CHILD_REFUSALS
from app.models import Contact
from app.preferences import AgeBand, Preferences
from app.timekeeping import now
from app.words import memorable_words

TEXT = ("kind", "words", "helper", "praise_name", "praise_role")
REACH = contacts.REACH_KEYS + contacts.SUPPORT_KEYS


def _answer(body: dict[str, Any], code: int) -> Response:
    response = jsonify(body)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


def same_site() -> bool:
    """A request from a page (or the service worker) of this site, not another site's."""
    origin = request.headers.get("Origin")
    if origin is not None and origin.rstrip("/") != request.host_url.rstrip("/"):
        return False
    return request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"


def _answers(sent: Any) -> contacts.Answers | None:
    """The kept answers, if they have the shape the phone writes; the rules check the rest."""
    if not isinstance(sent, dict):
        return None
    text = {name: sent.get(name) or "" for name in TEXT}
    promises = sent.get("promises") or []
    given = sent.get("reach")
    reach: dict[str, Any] = given if isinstance(given, dict) else sent
    if not all(isinstance(value, str) for value in text.values()) or not isinstance(promises, list):
        return None
    if not all(isinstance(p, str) for p in promises):
        return None
    age = sent.get("age_band")
    if age not in set(AgeBand):
        held = Preferences.current().age
        age = held.value if held else None
    return contacts.Answers(
        kind=text["kind"],
        promises=tuple(promises),
        words=text["words"],
        helper=text["helper"],
        praise_name=text["praise_name"],
        praise_role=text["praise_role"],
        praise_may_pass_on=sent.get("praise_may_pass_on") is True,
        reach=reach_of({name: reach.get(name) for name in REACH if _plain(reach.get(name))}),
        age_band=age,
    )


def _plain(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def _acknowledged(contact: Contact, key: str, words: str, code: int) -> Response:
    session["sent"] = {"reference": contact.reference, "words": words, "key": key}
    return _answer(
        {"key": key, "reference": contact.reference, "next": url_for("child.sent")}, code
    )


@bp.before_request
def send_kept() -> Response | None:
    if request.endpoint != "child.send" or not request.is_json:
        return None  # the form's own send (app/child/tell_us.py)
    if not same_site():
        return _answer({"problem": CHILD_REFUSALS[contacts.Refusal.ALREADY_SENT]}, 403)
    sent = request.get_json(silent=True)
    body: dict[str, Any] = sent if isinstance(sent, dict) else {}
    key = body.get("key")
    answers = _answers(body.get("answers"))
    if not isinstance(key, str) or not 16 <= len(key) <= 64 or answers is None:
        return _answer({"problem": CHILD_REFUSALS[contacts.Refusal.UNKNOWN_KIND]}, 400)
    held_draft = session.get("draft")
    draft: dict[str, Any] = held_draft if isinstance(held_draft, dict) else {}
    from_draft = draft.get("key") == key and isinstance(draft.get("secret"), str)
    # The phone's own secret for this message (kept with it until the server answers), so a
    # send whose answer was lost is still this phone's when it sends again.
    own = body.get("secret")
    own = own if isinstance(own, str) and 32 <= len(own) <= 128 else None
    candidates = [s for s in (own, draft.get("secret") if from_draft else None) if s]
    existing = db.session.scalar(select(Contact).where(Contact.submission_key == key))
    if existing is not None:
        held = [s for s in session.get("messages", []) if isinstance(s, str)]
        opens = next(
            (
                s
                for s in [*candidates, *held]
                if contacts.contact_for(db.session(), existing.reference, [s])
            ),
            None,
        )
        if opens is None:
            problem = CHILD_REFUSALS[contacts.Refusal.ALREADY_SENT]
            return _answer({"key": key, "problem": problem}, 409)
        remember(opens)
        return _acknowledged(existing, key, "", 200)
    secret = candidates[0] if candidates else contacts.new_access_secret()
    words = draft.get("words") if from_draft else memorable_words()
    try:
        contact = contacts.submit(
            db.session(),
            answers,
            submission_key=key,
            access_secret=secret,
            memorable_words=str(words),
            now=now(),
            office=office(),
        )
    except contacts.Refused as refused:
        db.session.rollback()
        code = 409 if refused.code is contacts.Refusal.ALREADY_SENT else 400
        return _answer({"key": key, "problem": CHILD_REFUSALS[refused.code]}, code)
    if from_draft:
        drafts.discard(db.session(), draft.get("token"))
        session.pop("draft", None)
    db.session.commit()
    remember(secret)
    return _acknowledged(contact, key, str(words), 201)
