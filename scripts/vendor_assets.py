"""Fetch the front-end files we serve from npm, at pinned versions, with their licences.

Only the files the pages use are kept: one htmx file, the OpenMoji symbols that
app/easyread and the council files name (app/council.toml, the one COUNCIL_FILE names, and the
tests' second council), not the whole 41 MB package, and OpenDyslexic's regular and bold
(Latin, woff2: every browser that runs the app reads it) for the display choice that asks for
it. Run through `make vendor`.

The symbols go through svgo (pinned in scripts/svgo/package.json): OpenMoji's files are
indented and carry editor ids, and a symbol page loads forty of them on a child's data. svgo
took the set from 42.4 KB to 32.4 KB gzipped; drawn at 144 px, at most 30 of 20,736
pixels of any symbol differ (edges rounded differently).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from app import council as council_module
from app.easyread import symbols as app_symbols

ROOT = Path(__file__).resolve().parent.parent
SVGO = ROOT / "scripts" / "svgo"
VENDOR = ROOT / "app" / "static" / "vendor"
COUNCILS = [council_module.COUNCIL_FILE, ROOT / "tests" / "councils" / "second.toml"]
HTMX = "htmx.org@2.0.11"
OPENMOJI = "openmoji@17.0.0"
OPENDYSLEXIC = "@fontsource/opendyslexic@5.3.0"
FONT_FILES = ["opendyslexic-latin-400-normal.woff2", "opendyslexic-latin-700-normal.woff2"]


def npm_pack(spec: str, into: Path) -> tarfile.TarFile:
    name = (
        subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return tarfile.open(into / name)


def extract(archive: tarfile.TarFile, member: str, target: Path) -> None:
    source = archive.extractfile(f"package/{member}")
    if source is None:
        raise SystemExit(f"{member} is missing from the package")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read())


SVGO_NOTE = "Made smaller with svgo (scripts/svgo/package.json): the same pictures.\n"


def smaller(folder: Path) -> None:
    """The symbols through the pinned svgo, in place."""
    subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=SVGO, check=True)
    svgo = SVGO / "node_modules" / ".bin" / "svgo"
    subprocess.run([str(svgo), "--quiet", "--multipass", "--folder", str(folder)], check=True)


def vendor_font(here: Path) -> None:
    """OpenDyslexic, for the display choice (app/static/css/display-font.css)."""
    folder = VENDOR / "opendyslexic"
    shutil.rmtree(folder, ignore_errors=True)
    with npm_pack(OPENDYSLEXIC, here) as font:
        for name in FONT_FILES:
            extract(font, f"files/{name}", folder / name)
        extract(font, "LICENSE", folder / "LICENSE")
    (folder / "VERSION").write_text(OPENDYSLEXIC + "\n")


def main() -> None:
    files = COUNCILS + (
        [Path(os.environ["COUNCIL_FILE"])] if os.environ.get("COUNCIL_FILE") else []
    )
    drawn = {s for path in files for s in council_module.load(path, check_symbols=False).symbols()}
    wanted = sorted(drawn | app_symbols())
    with tempfile.TemporaryDirectory() as work:
        here = Path(work)
        with npm_pack(HTMX, here) as htmx:
            extract(htmx, "dist/htmx.min.js", VENDOR / "htmx" / "htmx.min.js")
            extract(htmx, "LICENSE", VENDOR / "htmx" / "LICENSE")
        (VENDOR / "htmx" / "VERSION").write_text(HTMX + "\n")
        vendor_font(here)

        symbols_dir = VENDOR / "openmoji"
        shutil.rmtree(symbols_dir, ignore_errors=True)
        with npm_pack(OPENMOJI, here) as openmoji:
            for symbol in wanted:
                name = council_module.symbol_filename(symbol)
                extract(openmoji, f"color/svg/{name}", symbols_dir / name)
            extract(openmoji, "LICENSE.txt", symbols_dir / "LICENSE.txt")
        (symbols_dir / "VERSION").write_text(OPENMOJI + "\n" + SVGO_NOTE)
    smaller(symbols_dir)
    print(f"vendored {HTMX}, {OPENDYSLEXIC} and {len(wanted)} symbols from {OPENMOJI}")


if __name__ == "__main__":
    main()
