"""Draw the installed app's PNG icons from the council's own symbol (council.toml `[app] icon`).

Phones want PNGs: 192 and 512 px for the manifest, the same with a safe margin for the
"maskable" shapes Android cuts (the symbol inside the middle 60%, on the app's background),
and a 180 px apple-touch-icon on an opaque background (iOS paints transparency black). Each
file is named after the symbol (`icons/1F91D-192.png`), so two councils' icons never collide
and a council that changes its icon gets new URLs. Run through `make icons`, for app/council.toml
and the tests' second council; the PNGs are committed like the vendored symbols they come from.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cairosvg

from app import council as council_module

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "app" / "static"
COUNCILS = [council_module.COUNCIL_FILE, ROOT / "tests" / "councils" / "second.toml"]
BACKGROUND = "#ffffff"  # the manifest's background_color (app/child/installing.py)

# (file suffix, size in px, share of the square the symbol fills, opaque background)
VARIANTS = (
    ("192", 192, 1.0, False),
    ("512", 512, 1.0, False),
    ("maskable-192", 192, 0.6, True),
    ("maskable-512", 512, 0.6, True),
    ("apple-touch", 180, 0.8, True),
)


def framed(symbol_svg: str, share: float, opaque: bool) -> str:
    """The symbol's SVG (OpenMoji draws on a 72 by 72 box) centred in a square of its own."""
    inner = symbol_svg[
        symbol_svg.index(">", symbol_svg.index("<svg")) + 1 : symbol_svg.rindex("</svg>")
    ]
    offset = 72 * (1 - share) / 2
    back = f'<rect width="72" height="72" fill="{BACKGROUND}"/>' if opaque else ""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72">'
        f'{back}<g transform="translate({offset} {offset}) scale({share})">{inner}</g></svg>'
    )


def draw(symbol: str, into: Path = STATIC / "icons") -> list[Path]:
    stem = council_module.symbol_filename(symbol).removesuffix(".svg")
    source = (STATIC / "vendor" / "openmoji" / f"{stem}.svg").read_text(encoding="utf-8")
    made = []
    for suffix, size, share, opaque in VARIANTS:
        out = into / f"{stem}-{suffix}.png"
        cairosvg.svg2png(
            bytestring=framed(source, share, opaque).encode(),
            write_to=str(out),
            output_width=size,
            output_height=size,
        )
        made.append(out)
    return made


def main(paths: list[str]) -> None:
    for path in [Path(p) for p in paths] or COUNCILS:
        council = council_module.load(path)
        for out in draw(council.app.symbol):
            print(out.relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
