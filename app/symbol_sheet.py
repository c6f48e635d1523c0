"""A page's symbols in one file: a sheet of the OpenMoji pictures it draws, one request.

A symbol page draws twenty or thirty small pictures. Fetched one by one, each costs its own
request and about 450 bytes of response headers beside some 600 bytes of picture: on a
phone's first visit the headers alone were a third of the page's weight (issue 15's budget
is 25 KB). So every child page's pictures are gathered into one SVG "sheet" served by
`/symbols/<names>.svg`, each picture in its own <view>, and each <img> shows its picture
through the sheet's fragment (`sheet.svg#s-1F4AC`), which browsers draw as that view alone.

The page keeps its <img> elements, their alt text and sizes: only the address changes, after
the page is rendered (`gather`, a template filter over the page's body), so a kept page keeps
its sheet too. The sheet's address names its pictures, so any server can make it, and a
version made from their contents lets a phone keep it for a year.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from flask import url_for

from app import svg_tenths

SYMBOL_DIR = Path(__file__).parent / "static" / "vendor" / "openmoji"
NAME = r"[0-9A-F]{2,6}(?:-[0-9A-F]{2,6}){0,6}"
_NAME = re.compile(f"^{NAME}$")
_SYMBOL_SRC = re.compile(
    r'(<img class="symbol" src=")[^"]*?/static/vendor/openmoji/(' + NAME + r')\.svg\?v=[0-9a-f]+"'
)
SEPARATOR = "_"
MOST = 80  # pictures in one sheet: more than any page draws
SIZE = 72  # OpenMoji's own square
# How a sheet is written from its pictures, in its version too: a phone keeps a sheet for a
# year under its address, so a sheet written another way is another address.
FORM = "tenths"


def gather(html: str) -> str:
    """`html` with every symbol drawn through one sheet of the symbols it uses."""
    names = sorted(set(m.group(2) for m in _SYMBOL_SRC.finditer(html)))
    if not names or len(names) > MOST:
        return html
    sheet = sheet_url(tuple(names))
    return _SYMBOL_SRC.sub(lambda m: f'{m.group(1)}{sheet}#s-{m.group(2)}"', html)


@cache
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_url(names: tuple[str, ...]) -> str:
    files = [SYMBOL_DIR / f"{name}.svg" for name in names]
    joined = FORM + "".join(_digest(file, file.stat().st_mtime_ns) for file in files)
    version = hashlib.sha256(joined.encode()).hexdigest()[:12]
    return url_for("child.symbol_sheet", names=SEPARATOR.join(names), v=version)


def names_in(path: str) -> tuple[str, ...] | None:
    """The pictures a sheet's address names, or None when it names anything else."""
    names = tuple(path.split(SEPARATOR))
    if not 0 < len(names) <= MOST or len(set(names)) != len(names):
        return None
    if not all(_NAME.match(name) and (SYMBOL_DIR / f"{name}.svg").is_file() for name in names):
        return None
    return names


_OUTER = re.compile(r"^\s*<svg[^>]*>(.*)</svg>\s*$", re.S)


@cache
def _inside(path: Path, mtime_ns: int) -> str:
    found = _OUTER.match(path.read_text(encoding="utf-8"))
    # Each point at its nearest tenth of a unit (app/svg_tenths.py): a fifth lighter.
    return svg_tenths.rounded(found.group(1)) if found else ""


def sheet(names: tuple[str, ...]) -> str:
    """The SVG: each picture side by side, each with a <view> of its own square."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE * len(names)} {SIZE}">']
    for index, name in enumerate(names):
        path = SYMBOL_DIR / f"{name}.svg"
        x = index * SIZE
        parts.append(
            f'<view id="s-{name}" viewBox="{x} 0 {SIZE} {SIZE}"/>'
            f'<svg x="{x}" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}">'
            f"{_inside(path, path.stat().st_mtime_ns)}</svg>"
        )
    parts.append("</svg>")
    return "".join(parts)
