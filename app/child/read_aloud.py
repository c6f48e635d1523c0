"""Read aloud: what the pages tell app/static/js/read_aloud.js, and the recordings behind it.

The phone's own voice (speechSynthesis) reads any marked part of a page. Where it has no voice
for the page's language, the promises and stories still have our recordings: made at build
time by espeak-ng (`make audio`, scripts/read_aloud_audio.py), one small MP3 a line, served
from our own origin and fetched only when the child presses "Read to me".

A recording is named by a hash of its language and its words, so no list maps lines to files:
the template asks `read_line(text)` for a line's attributes, and a line whose recording was
made gets its address. To know what to record, the generator renders the promise and story
pages in every language with `RECORD` set, and `read_line` notes each line it is asked for.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app
from markupsafe import Markup, escape

from app import i18n
from app.child.blueprint import bp
from app.templating import static_url

AUDIO = Path("audio")  # under the static folder; made, not committed
# Part of every recording's name: a change to how they are made (voice, speed, encoder) makes
# new names, so no phone keeps an old recording for a year under the same address.
MAKING = "espeak-ng 150wpm mp3 16k 1"
RECORD = "READ_ALOUD_RECORD"  # a set the generator passes in app.config


def recording_name(language: str, text: str) -> str:
    digest = hashlib.sha256(f"{MAKING}\n{language}\n{text}".encode()).hexdigest()[:20]
    return f"{digest}.mp3"


def _recorded() -> frozenset[str]:
    """The recordings made, listed again whenever the folder changes."""
    folder = Path(current_app.static_folder or "static") / AUDIO
    try:
        stamp = folder.stat().st_mtime_ns
    except FileNotFoundError:
        return frozenset()
    known: tuple[int, frozenset[str]] | None = current_app.extensions.get("recordings")
    if known is None or known[0] != stamp:
        known = (stamp, frozenset(path.name for path in folder.glob("*.mp3")))
        current_app.extensions["recordings"] = known
    return known[1]


@bp.app_template_global()
def read_line(text: str) -> Markup:
    """A line to read aloud: ` data-line`, and its recording's address when there is one."""
    words = str(text)
    language = i18n.language_tag()
    wanted: set[tuple[str, str]] | None = current_app.config.get(RECORD)
    if wanted is not None:
        wanted.add((language, words))
    name = recording_name(language, words)
    if name not in _recorded():
        return Markup(" data-line")
    return Markup(' data-line data-audio="%s"') % escape(static_url(str(AUDIO / name)))
