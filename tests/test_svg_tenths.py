"""The symbol sheets' pictures at tenths of a unit (app/svg_tenths.py): every point where the
original puts it, to half a tenth, every arc exactly as it was, nothing else changed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask

from app import svg_tenths, symbol_sheet

PICTURES = sorted(symbol_sheet.SYMBOL_DIR.glob("*.svg"))
HALF_A_TENTH = 0.05 + 1e-9


def _paths(svg: str) -> list[str]:
    return re.findall(r'\sd="([^"]*)"', svg)


def _arcs(path: str) -> list[tuple[str, float, float]]:
    """Each arc's shape: its radii, turn and flags, and the step from its start to its end."""
    found = []
    before = (0.0, 0.0)
    for kind, x, y in svg_tenths.points(path):
        if kind in ("radii", "turn", "flags"):
            found.append((kind, x, y))
            continue
        if kind.lower() == "a":
            found.append(("step", x - before[0], y - before[1]))
        before = (x, y)
    return found


@pytest.mark.parametrize("picture", PICTURES, ids=[p.stem for p in PICTURES])
def test_every_point_stays_within_half_a_tenth_and_every_arc_as_it_was(picture: Path) -> None:
    svg = picture.read_text(encoding="utf-8")
    rounded = svg_tenths.rounded(svg)
    before, after = _paths(svg), _paths(rounded)
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        assert [c for c, _ in svg_tenths.commands(old)] == [c for c, _ in svg_tenths.commands(new)]
        was, now = list(svg_tenths.points(old)), list(svg_tenths.points(new))
        assert len(was) == len(now)
        for (kind, x, y), (kind_now, x_now, y_now) in zip(was, now, strict=True):
            assert kind == kind_now
            assert abs(x - x_now) <= HALF_A_TENTH and abs(y - y_now) <= HALF_A_TENTH, (kind, old)
        for (kind, *old_arc), (_, *new_arc) in zip(_arcs(old), _arcs(new), strict=True):
            assert new_arc == pytest.approx(old_arc, abs=1e-9), (kind, old)
    # The shapes' positions and sizes, to half a tenth; every other attribute as it was.
    # Our own vendored pictures, not anyone's upload.
    old_tree = ET.fromstring(svg)  # noqa: S314
    new_tree = ET.fromstring(rounded)  # noqa: S314
    for old_element, new_element in zip(old_tree.iter(), new_tree.iter(), strict=True):
        assert old_element.tag == new_element.tag
        assert old_element.keys() == new_element.keys()
        for name, value in old_element.items():
            if name in ("cx", "cy", "r", "rx", "ry"):
                assert abs(float(value) - float(new_element.get(name, ""))) <= HALF_A_TENTH
            elif name != "d":
                assert new_element.get(name) == value, name


@pytest.mark.parametrize(
    ("path", "written"),
    [
        ("m1.04.5", "m1 .5"),  # a whole number never runs into the next point's decimals
        ("M.5.04", "M.5 0"),
        ("m0 0l1.04-.06l1.04.06", "m0 0l1-.1l1.1.1"),  # each step from the written point
        ("M1 1a2.5 2.5 0 0 1 5.004 0h.03", "M1 1a2.5 2.5 0 0 1 5.004 0h-.004"),
        ("M1.04 1A1 1 0 0 1 2.04 2", "M1 1A1 1 0 0 1 2 2"),
        ("M1.04 1a1 1 0 0 1 1 1l.03 0", "M1 1a1 1 0 0 1 1 1l.1 0"),  # an arc moves as a whole
        ("M0 0 1.26 1.26 2.5 2.5z", "M0 0 1.3 1.3 2.5 2.5z"),  # implicit lines
        ("M0 0c.04.04.06.06.1.1s.24.24.3.3", "M0 0c0 0 .1.1.1.1s.2.2.3.3"),
    ],
)
def test_paths_are_written_at_tenths(path: str, written: str) -> None:
    assert svg_tenths.rounded_path(path) == written


def test_a_sheet_is_lighter_and_its_address_says_how_it_was_written(
    page_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = tuple(p.stem for p in PICTURES[:20])
    with page_app.test_request_context():
        rounded, address = symbol_sheet.sheet(names), symbol_sheet.sheet_url(names)
        symbol_sheet._inside.cache_clear()
        monkeypatch.setattr(svg_tenths, "rounded", lambda svg: svg)
        monkeypatch.setattr(symbol_sheet, "FORM", "")
        plain, plain_address = symbol_sheet.sheet(names), symbol_sheet.sheet_url(names)
        symbol_sheet._inside.cache_clear()
    assert len(rounded) < 0.9 * len(plain)
    assert address != plain_address  # a phone never keeps one under the other's address
