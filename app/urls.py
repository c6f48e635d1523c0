"""What a URL carries (path parts and query parameters), read strictly.

A value no page of ours would ever put in a URL gets 404 (a path part) or 400 (a query
parameter) here, before it can reach the database: a 24-digit id is past every integer
column (PostgreSQL and SQLite both raise), a NUL cannot be sent to PostgreSQL at all, and
Python reads "٣" as 3. The database, not the visitor, would then answer with a 500.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

# The largest id an integer column holds (PostgreSQL `integer`, the ids' type).
LARGEST_ID = 2**31 - 1
# Far past any real page, small enough that its offset is still a number every database takes.
LAST_PAGE = 100_000


class Text(UnicodeConverter):
    """A path part: at most 200 characters, none of them a control character, a lone
    surrogate or U+FFFD (what bytes that are not UTF-8 became on the way in)."""

    def __init__(self, map: Any, minlength: int = 1, maxlength: int = 200, **kwargs: Any) -> None:
        super().__init__(map, minlength=minlength, maxlength=maxlength, **kwargs)

    def to_python(self, value: str) -> str:
        if "\ufffd" in value or any(unicodedata.category(ch) in {"Cc", "Cs"} for ch in value):
            raise ValidationError()
        return value


class Id(IntegerConverter):
    """A row's id: ASCII digits only, and no larger than the column can hold."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Any, fixed_digits: int = 0, **kwargs: Any) -> None:
        super().__init__(map, fixed_digits, min=1, max=LARGEST_ID)


def choice(name: str, allowed: Collection[str]) -> str:
    """A query parameter that is absent, empty, or one of `allowed`; otherwise 400."""
    value = request.args.get(name, "")
    if value and value not in allowed:
        abort(400)
    return value


def page(name: str = "page") -> int:
    """A page number: absent means 1; otherwise ASCII digits from 1 to LAST_PAGE, or 400."""
    value = request.args.get(name, "")
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= LAST_PAGE:
        abort(400)
    return int(value)


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: every <name> and <int:name> uses these."""
    app.url_map.converters["default"] = Text
    app.url_map.converters["string"] = Text
    app.url_map.converters["int"] = Id
