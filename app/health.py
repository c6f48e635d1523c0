"""/healthz: is the app up, and can it reach its database?

A load balancer or monitor may ask many times a second. A good answer from the database is
remembered for a second in this worker (`FRESH`), so those checks cost about what a bare page
costs, not a round trip each (issue 15); a failed one is never remembered, so an outage shows
at the next check once that second is over.
"""

from __future__ import annotations

import time

from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

bp = Blueprint("health", __name__)
FRESH = 1.0  # seconds a good answer from the database stands
HEADERS = {"Cache-Control": "no-store"}


def _database_answers() -> bool:
    answered_at: float | None = current_app.extensions.get("database_answered_at")
    if answered_at is not None and 0 <= time.monotonic() - answered_at < FRESH:
        return True
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("health check: the database did not answer")
        current_app.extensions.pop("database_answered_at", None)
        return False
    current_app.extensions["database_answered_at"] = time.monotonic()
    return True


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int, dict[str, str]]:
    if not _database_answers():
        return {"status": "error", "database": "unreachable"}, 503, HEADERS
    return {"status": "ok", "database": "ok"}, 200, HEADERS
