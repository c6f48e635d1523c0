"""The style sheets and scripts as phones are sent them: without their comments and spaces.

The files under app/static/ say why they are as they are, in comments; a phone has no use for
those bytes. `make static` (`python -m app.lean_static`) writes each of our sheets and scripts
without them into build/static/ (rcssmin and rjsmin, which take out comments and spaces and
change nothing else), then writes the .br and .gz copies of both folders that WhiteNoise sends
to phones that accept them. The app serves a lean copy at the file's own address
(app/static_files.py), and the version in the address is still the digest of the file in
app/static/, so a change there reaches every phone. Vendored files are left as their makers
ship them; without build/static/ (development, where `make run` removes it) the files are
served as they are.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import rcssmin
import rjsmin
from whitenoise.compress import Compressor
from whitenoise.compress import main as compress

from app.static_files import LEAN

STATIC = Path(__file__).resolve().parent / "static"
# Ours, by folder: what makes each lean.
MAKERS: dict[str, Callable[[str], str]] = {
    "css": lambda text: str(rcssmin.cssmin(text)),
    "js": lambda text: str(rjsmin.jsmin(text)),
}
# WhiteNoise's own list of files not worth compressing, and MP3: browsers ask for audio
# uncompressed (make audio), so a compressed copy would never be sent.
NOT_COMPRESSED = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "mp3"]


def lean_copies(static: Path = STATIC, lean: Path = LEAN) -> list[Path]:
    """Each of our sheets and scripts written lean under `lean`, at its path in `static`
    (what was there before goes, so a file removed from static is not served from here)."""
    if lean.exists():
        shutil.rmtree(lean)
    made = []
    for folder, make in MAKERS.items():
        for source in sorted((static / folder).glob(f"*.{folder}")):
            target = lean / folder / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(make(source.read_text(encoding="utf-8")), encoding="utf-8")
            made.append(target)
    return made


def main() -> None:
    lean_copies()
    for folder in (STATIC, LEAN):
        compress(["--quiet", str(folder), *NOT_COMPRESSED])


if __name__ == "__main__":
    main()
