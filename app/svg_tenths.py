"""A picture's coordinates to a tenth of a unit: the symbol sheets' share of a page's weight.

OpenMoji draws on a 72-unit square with up to three decimals. A page shows a picture at 40 to
72 px, so a unit is at most a pixel, and a picture's points written to a tenth move by at most
a twentieth of a pixel: the sheet of a symbol page's twenty pictures is a fifth lighter
(9,015 bytes as Chromium got it, 7,068: issue 15's 25 KB first load).

A path's relative steps are not each rounded, or their errors would add up along the path:
every point is placed where the original puts it, rounded to the nearest tenth, and each step
written as the difference between two rounded points, so no point moves by more than half a
tenth however long its path (tests/test_svg_tenths.py). An arc keeps its shape, radii and
step from start to end (a half circle a tenth narrower bulges visibly less): it moves with its
start, by no more than half a tenth. The commands stay as they were, one for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

EXACT = 1000  # OpenMoji writes at most three decimals: a point, in thousandths, is exact
TENTH = EXACT // 10
ARGUMENTS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_SKIP = re.compile(r"[\s,]*")
# The attributes of a picture's shapes that are plain lengths or positions.
_LENGTHS = re.compile(r'(\s(?:cx|cy|r|rx|ry)=")([-+]?(?:\d+\.?\d*|\.\d+))(")')
_PATH = re.compile(r'(\sd=")([^"]*)(")')


def commands(path: str) -> list[tuple[str, list[float]]]:
    """A path's commands, each with its numbers (an arc's two flags as 0.0 or 1.0)."""
    found: list[tuple[str, list[float]]] = []
    at = _SKIP.match(path, 0).end()  # type: ignore[union-attr]
    while at < len(path):
        letter = path[at]
        if letter.lower() not in ARGUMENTS:
            raise ValueError(f"not a path command at {at}: {path[at : at + 10]!r}")
        at += 1
        numbers: list[float] = []
        count = ARGUMENTS[letter.lower()]
        while True:
            at = _SKIP.match(path, at).end()  # type: ignore[union-attr]
            if at >= len(path) or path[at].lower() in ARGUMENTS:
                break
            if letter.lower() == "a" and len(numbers) % 7 in (3, 4):
                numbers.append(float(path[at]))  # a flag: one digit, with or without a space
                at += 1
                continue
            number = _NUMBER.match(path, at)
            if number is None:
                raise ValueError(f"not a number at {at}: {path[at : at + 10]!r}")
            numbers.append(float(number.group()))
            at = number.end()
        if count and (not numbers or len(numbers) % count):
            raise ValueError(f"{letter} with {len(numbers)} numbers")
        found.append((letter, numbers))
    return found


def points(path: str) -> Iterator[tuple[str, float, float]]:
    """Where each of a path's numbers puts a point, in the picture's own units: each end point
    and control point (an H or V step's other coordinate the current one), an arc's radii and
    turn as ("radii", rx, ry) and ("turn", angle, 0), its flags as ("flags", large, sweep)."""
    x = y = start_x = start_y = 0.0
    for letter, numbers in commands(path):
        kind = letter.lower()
        relative = letter != letter.upper()
        count = ARGUMENTS[kind]
        groups = [numbers[i : i + count] for i in range(0, len(numbers), count)] if count else [[]]
        for index, group in enumerate(groups):
            if kind == "z":
                x, y = start_x, start_y
                yield letter, x, y
                continue
            if kind == "h":
                x = x + group[0] if relative else group[0]
                yield letter, x, y
                continue
            if kind == "v":
                y = y + group[0] if relative else group[0]
                yield letter, x, y
                continue
            if kind == "a":
                yield "radii", group[0], group[1]
                yield "turn", group[2], 0.0
                yield "flags", group[3], group[4]
                pairs = [group[5:7]]
            else:
                pairs = [group[i : i + 2] for i in range(0, len(group), 2)]
            placed = [(x + px, y + py) if relative else (px, py) for px, py in pairs]
            for px, py in placed:
                yield letter, px, py
            x, y = placed[-1]
            if kind == "m" and index == 0:
                start_x, start_y = x, y


def _exact(value: float) -> int:
    """A number in thousandths."""
    return round(value * EXACT)


def _tenths(value: float) -> int:
    """A number at its nearest tenth, in thousandths."""
    return round(value * EXACT / TENTH) * TENTH


def _written(thousandths: int) -> str:
    """A number of thousandths, as short as SVG reads it: 1500 is 1.5, 500 is .5, -500 is -.5,
    2000 is 2."""
    sign = "-" if thousandths < 0 else ""
    whole, part = divmod(abs(thousandths), EXACT)
    if not part:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{part:03d}".rstrip("0")


def _joined(numbers: list[str]) -> str:
    """The numbers with a space only where a reader could not tell where one ends: none before a
    minus sign, nor before a point when the number before has one already."""
    out = last = ""
    for number in numbers:
        if out and not (number[0] == "-" or (number[0] == "." and "." in last)):
            out += " "
        out += number
        last = number
    return out


def _segments(path: str) -> list[tuple[str, int, list[float]]]:
    """A path's steps one by one: each command's letter, the step's place among its numbers
    (a command may take several steps), and the step's numbers."""
    found: list[tuple[str, int, list[float]]] = []
    for letter, numbers in commands(path):
        count = ARGUMENTS[letter.lower()]
        if not count:
            found.append((letter, 0, []))
        for index in range(0, len(numbers), count or 1):
            found.append((letter, index // count, numbers[index : index + count]))
    return found


def rounded_path(path: str) -> str:
    """The path with every point at its nearest tenth, its commands as they were; an arc as
    it was, moved only with the point it starts from."""
    steps = _segments(path)
    x = y = start_x = start_y = 0  # where the original path is, in thousandths
    wx = wy = start_wx = start_wy = 0  # where the written one is
    out: list[str] = []
    for letter, index, group in steps:
        kind = letter.lower()
        relative = letter != letter.upper()
        if index == 0:
            out.append(letter)
        elif out and not out[-1].isalpha():
            out.append(" ")
        written: list[str] = []
        if kind == "z":
            x, y, wx, wy = start_x, start_y, start_wx, start_wy
        elif kind in ("h", "v"):
            horizontal = kind == "h"
            here, mine = (x, wx) if horizontal else (y, wy)
            exact = here + _exact(group[0]) if relative else _exact(group[0])
            placed = _tenths(exact / EXACT)
            written.append(_written(placed - mine if relative else placed))
            if horizontal:
                x, wx = exact, placed
            else:
                y, wy = exact, placed
        else:
            if kind == "a":
                # An arc as it was, its radii, its turn and the step from its start to its end
                # (only moved with its start): a half circle a tenth narrower, or with a radius
                # a tenth larger, is no longer a half circle, and bulges less.
                written += [_written(_exact(value)) for value in group[:3]]
                written += [str(int(group[3])), str(int(group[4]))]
                pairs = [group[5:7]]
            else:
                pairs = [group[i : i + 2] for i in range(0, len(group), 2)]
            for number, (px, py) in enumerate(pairs):
                ex, ey = _exact(px), _exact(py)
                if relative:
                    ex, ey = x + ex, y + ey
                last = number == len(pairs) - 1
                if kind == "a":
                    placed_x, placed_y = wx + ex - x, wy + ey - y
                else:
                    placed_x, placed_y = _tenths(ex / EXACT), _tenths(ey / EXACT)
                if relative:
                    written += [_written(placed_x - wx), _written(placed_y - wy)]
                else:
                    written += [_written(placed_x), _written(placed_y)]
                if last:
                    end = (ex, ey, placed_x, placed_y)
            x, y, wx, wy = end
            if kind == "m" and index == 0:
                start_x, start_y, start_wx, start_wy = x, y, wx, wy
        out.append(_joined(written))
    return _joined_steps(out)


def _joined_steps(parts: list[str]) -> str:
    """The letters and the steps' numbers as one path: a space between two steps of one
    command only where the second's first number could run into the first's last."""
    text = ""
    for part in parts:
        if part == " ":
            text += part
            continue
        if text.endswith(" ") and (part[:1] == "-" or (part[:1] == "." and "." in _last(text))):
            text = text[:-1]
        text += part
    return text


def _last(text: str) -> str:
    """The last number of a path so far, before its trailing space."""
    found = re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", text.rstrip())
    return found[-1] if found else ""


def rounded(svg: str) -> str:
    """A picture's markup with its paths and its shapes' positions and sizes at tenths."""
    svg = _PATH.sub(lambda m: m.group(1) + rounded_path(m.group(2)) + m.group(3), svg)
    return _LENGTHS.sub(
        lambda m: m.group(1) + _written(_tenths(float(m.group(2)))) + m.group(3), svg
    )
