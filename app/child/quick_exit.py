"""The quick exit: forget everything on this device, then show a neutral site.

It goes through our own URL so the session, the child's choices and any draft are cleared
on the way out, whether or not JavaScript runs. Browser history is not erased, and the
pages say so honestly.
"""

from __future__ import annotations

from flask import redirect, session
from werkzeug.wrappers import Response

from app import drafts
from app.child.blueprint import bp
from app.council import current as council
from app.extensions import db


@bp.get("/exit")
def quick_exit() -> Response:
    draft = session.get("draft")
    if isinstance(draft, dict):
        drafts.discard(db.session(), draft.get("token"))  # DEC-2: nothing left half-written
        db.session.commit()
    session.clear()
    response = redirect(council().council.exit_url, code=303)
    # The browser empties this site's cache, cookies and storage (service worker included).
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response.headers["Cache-Control"] = "no-store"
    return response
