"""`make icons` (scripts/icons.py): the install icons drawn from the council's own symbol, at the
sizes the manifest names, the maskable ones with the symbol inside the safe zone on an opaque
background, and the committed PNGs the ones it draws (issue 12, point 1)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from app.council import symbol_filename
from scripts import icons
from tests.helpers import COUNCIL

STATIC = Path(__file__).resolve().parent.parent / "app" / "static"


def png(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGBA")


def test_make_icons_draws_every_size_from_the_councils_symbol(tmp_path: Path) -> None:
    made = {path.name: png(path) for path in icons.draw(COUNCIL.app.symbol, tmp_path)}
    stem = symbol_filename(COUNCIL.app.symbol).removesuffix(".svg")
    sizes = {
        name.removeprefix(f"{stem}-").removesuffix(".png"): im.size for name, im in made.items()
    }
    assert sizes == {
        "192": (192, 192),
        "512": (512, 512),
        "maskable-192": (192, 192),
        "maskable-512": (512, 512),
        "apple-touch": (180, 180),
    }
    for name, image in made.items():
        # Every one is the symbol: something drawn in the middle.
        assert image.getpixel((image.width // 2, image.height // 2))[3] > 0, name
        committed = STATIC / "icons" / name
        assert committed.is_file(), f"{name}: run make icons and commit it"
        assert png(committed).size == image.size
    for name in (f"{stem}-maskable-512.png", f"{stem}-apple-touch.png"):
        image = made[name]
        # Opaque to the corners (Android cuts any shape; iOS paints transparency black) ...
        assert image.getpixel((0, 0)) == (255, 255, 255, 255), name
    # ... and the maskable symbol inside the safe zone: a circle of 40% of the width round the
    # middle, so outside the middle 80% there is only background.
    image = made[f"{stem}-maskable-512.png"]
    ring = [
        (x, y)
        for x in range(0, 512, 8)
        for y in range(0, 512, 8)
        if not 51 <= x <= 460 or not 51 <= y <= 460
    ]
    assert {image.getpixel(point) for point in ring} == {(255, 255, 255, 255)}
    # The plain icon is the symbol edge to edge, on nothing.
    assert made[f"{stem}-512.png"].getpixel((0, 0))[3] == 0
