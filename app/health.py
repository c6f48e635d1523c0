"""/healthz: is the app up, and can it reach its database?"""

from __future__ import annotations

from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int, dict[str, str]]:
    headers = {"Cache-Control": "no-store"}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("health check: the database did not answer")
        return {"status": "error", "database": "unreachable"}, 503, headers
    return {"status": "ok", "database": "ok"}, 200, headers
