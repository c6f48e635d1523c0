"""Where to go back to after a choice: only ever a page of this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for


def safe_next(default_endpoint: str = "child.home") -> str:
    """The `next` page asked for, if it is a path on this site; else a safe default."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not parts.scheme
        and not parts.netloc
        and "\\" not in target
    ):
        return target
    return url_for(default_endpoint)


def here() -> str:
    """This page's path and query, to come back to after changing a choice."""
    query = request.query_string.decode("ascii", "ignore")
    return request.path + (f"?{query}" if query else "")
