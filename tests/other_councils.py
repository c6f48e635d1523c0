"""Council files unlike Leeds', built in a test: many pledges, long ones, sections, no stories.

Built from Leeds' file with only the promises (and what goes with them) changed, so a test shows
what a council's pledges do to a page, and nothing else.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from flask import Flask

from app import create_app
from app.council import COUNCIL_FILE
from tests.conftest import HouseRulesClient
from tests.helpers import settings_for

# Words to build long pledges from: clauses joined by commas and "and", as councils write them.
CLAUSES = (
    "we promise to listen to you carefully and take what you say seriously",
    "to make sure you know who your social worker is and how to reach them",
    "to explain every decision about your life in words that make sense to you",
    "and to help you keep in touch with the people who matter to you",
    "to support you at school, in college and when you start work",
    "and to celebrate the things you do well, however big or small they are",
)


def leeds() -> dict[str, Any]:
    return tomllib.loads(COUNCIL_FILE.read_text(encoding="utf-8"))


def long_pledge(number: int, length: int = 400) -> str:
    """A pledge of about `length` characters (never more) that names its number, so each one
    can be found in a page or a printout."""
    text = f"Pledge {number}: "
    clauses = iter(CLAUSES * (length // 40 + 1))
    while True:
        clause = next(clauses)
        if len(text) + len(clause) + 2 > length - 1:
            break
        text += clause + ", "
    return text.rstrip(", ") + "."


def council_with(
    promises: int,
    *,
    length: int | None = None,
    sections: int = 0,
    forms: tuple[str, ...] = ("card",),
    characters: bool = False,
) -> dict[str, Any]:
    """Leeds' file with `promises` pledges (each `length` characters long, or short), under
    `sections` headings, written only in `forms`, with or without story characters."""
    data = leeds()
    data["sections"] = [
        {"key": f"part_{s}", "title": f"Part {s} of our promise"} for s in range(1, sections + 1)
    ]
    data["promises"] = []
    for n in range(1, promises + 1):
        words = long_pledge(n, length) if length else f"Pledge {n}: we promise to be kind to you."
        promise: dict[str, Any] = {"key": f"pledge_{n}", "title": f"Pledge {n} in short"}
        if sections:
            promise["section"] = f"part_{(n - 1) * sections // promises + 1}"
        promise.update({form: words for form in forms})
        data["promises"].append(promise)
    if not characters:
        data["characters"] = []
    for character in data["characters"]:
        character.pop("pages", None)  # Leeds' promises' pages: these pledges have their own keys
    return data


def write(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "council.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def app_for(folder: Path, database_url: str, data: dict[str, Any]) -> Flask:
    """The app with this council file, its test client checking the house rules."""
    app = create_app(settings_for(database_url, COUNCIL_FILE=str(write(folder, data))))
    app.test_client_class = HouseRulesClient
    return app
