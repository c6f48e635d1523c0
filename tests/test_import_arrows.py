"""Arrows point down only: the faces call the rules; the rules, delivery and the council's
content never reach up into a face or a request; the two faces never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(path): imports_of(path) for path in APP.rglob("*.py")}

# Who must never import what (by prefix).
FORBIDDEN = {
    "app.child": ["app.staff"],
    "app.staff": ["app.child"],
    # The rules: no face, no page helper, no request (and no Flask at all).
    "app.contacts": [
        "app.child",
        "app.staff",
        "app.templating",
        "app.forms",
        "app.labels",
        "flask",
    ],
    "app.deadlines": ["app.child", "app.staff", "app.templating", "flask"],
    # Throttles and staff accounts are rules too: given an address, never reading a request.
    "app.throttle": ["app.child", "app.staff", "app.templating", "flask"],
    # Staff accounts read one setting of the app (the hash profile tests lower), no request.
    "app.staff_accounts": [
        "app.child",
        "app.staff",
        "app.templating",
        "flask.request",
        "flask.session",
        "flask.g",
    ],
    "app.models": ["app.child", "app.staff", "app.templating", "app.contacts"],
    # Delivery: no face, no page helper.
    "app.outbox": ["app.child", "app.staff", "app.templating", "app.forms", "flask"],
    "app.notify": ["app.child", "app.staff", "app.templating", "app.forms"],
    "app.council": ["app.child", "app.staff", "app.templating"],
    "app.labels": ["app.child", "app.staff", "app.templating"],
}


def forbidden_for(module: str) -> list[str]:
    return [bad for owner, bads in FORBIDDEN.items() if module.startswith(owner) for bad in bads]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_points_up_or_sideways(module: str) -> None:
    wrong = sorted(
        name
        for name in MODULES[module]
        for bad in forbidden_for(module)
        if name == bad or name.startswith(bad + ".")
    )
    assert not wrong, f"{module} imports {wrong}"


def test_the_rule_catches_a_sideways_import(tmp_path: Path) -> None:
    """The check itself can fail: a staff module importing a child form is caught."""
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from app.child.tell_us_forms import WhatForm\n", encoding="utf-8")
    assert "app.child.tell_us_forms" in imports_of(sneaky)
    assert "app.child" in forbidden_for("app.staff.sneaky")


def test_the_council_accessor_lives_with_the_councils_content() -> None:
    assert "def current()" in (APP / "council.py").read_text(encoding="utf-8")
    assert "def council()" not in (APP / "templating.py").read_text(encoding="utf-8")
