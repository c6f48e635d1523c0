"""Every class our style sheets style is one the app can put on a page: a rule for nothing is
bytes on every phone's first load (issue 15's budget is 25 KB), and a sign that a page lost
its look without anyone seeing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
SHEETS = sorted((APP / "static" / "css").glob("*.css"))
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
DECLARATIONS = re.compile(r"\{[^{}]*\}")
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


def _where_classes_come_from() -> str:
    """The templates, the scripts and the Python that write a page's classes (the vendored
    files apart: they style nothing of ours)."""
    kinds = ("*.html", "*.js", "*.py", "*.svg")
    files = [path for kind in kinds for path in APP.rglob(kind) if "vendor" not in path.parts]
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in files)


SOURCES = _where_classes_come_from()


def styled_classes(sheet: Path) -> set[str]:
    """The class names in a sheet's selectors (not in its comments or declarations, where
    a dot is a number's or a file's)."""
    selectors = DECLARATIONS.sub("{}", COMMENT.sub("", sheet.read_text(encoding="utf-8")))
    return set(CLASS.findall(selectors))


def used(name: str) -> bool:
    """Written whole somewhere, or made from a prefix the code completes ("band-{{ ... }}",
    f"display-{choice}")."""
    if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", SOURCES):
        return True
    prefixes = [name[: cut + 1] for cut, char in enumerate(name) if char == "-"]
    return any(
        re.search(rf"(?<![\w-]){re.escape(prefix)}(\{{\{{|\{{|\$\{{)", SOURCES)
        for prefix in prefixes
    )


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda sheet: sheet.name)
def test_every_class_a_sheet_styles_is_put_on_a_page(sheet: Path) -> None:
    assert styled_classes(sheet), "a sheet read as styling no class at all"
    unused = sorted(name for name in styled_classes(sheet) if not used(name))
    assert unused == [], f"{sheet.name} styles classes no page has: {unused}"


def test_a_class_no_page_has_is_found() -> None:
    """The check itself: a made-up class is not found, a composed one is."""
    assert not used("story-never-drawn")
    assert used("band-under_5")  # layouts/base.html: class="band-{{ ... }}"
    assert used("display-contrast")  # app/child/display.py: f"display-{choice}"
