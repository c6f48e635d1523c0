"""The time now, which tests may fix (FIXED_NOW) to see a page as it looks at any hour."""

from __future__ import annotations

import datetime as dt

from flask import current_app


def now() -> dt.datetime:
    fixed: dt.datetime | None = current_app.config.get("FIXED_NOW")
    return fixed or dt.datetime.now(dt.UTC)
