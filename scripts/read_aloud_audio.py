"""Record the promises and stories with espeak-ng, for phones with no voice of their own.

Run through `make audio`. Renders the promise pages (every age band, with and without
symbols) and every story page, in English and every language under translations/, for each
council file the app may run with (app/council.toml, the tests' second council, and the one
COUNCIL_FILE names), and records each line those pages mark to read aloud
(app/child/read_aloud.py) into app/static/audio/, one small MP3 a line. A line already recorded
is kept, so a second run only records what changed. A language espeak-ng has no voice for
(Kurdish Sorani, today) gets no recordings: its pages offer "Read to me" only where the
phone has a voice for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from app import create_app
from app.child.read_aloud import AUDIO, RECORD, recording_name
from app.preferences import AgeBand

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "app" / "static" / AUDIO
COUNCILS = [ROOT / "app" / "council.toml", ROOT / "tests" / "councils" / "second.toml"]
WORDS_A_MINUTE = "150"  # espeak's default 175 is quick for a young child


def languages() -> list[str]:
    found = sorted(p.parent.parent.name for p in (ROOT / "translations").glob("*/LC_MESSAGES/*.po"))
    return ["en", *found]


def lines_to_record(council_file: Path) -> set[tuple[str, str]]:
    """(language, words) of every line the promise and story pages mark to read aloud."""
    wanted: set[tuple[str, str]] = set()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "r" * 32,
            "TESTING": True,
            "KEEP_PAGES": False,
            "COUNCIL_FILE": str(council_file),
            "LANGUAGES": languages(),
            RECORD: wanted,
        }
    )
    council = app.extensions["council"]
    stories = [
        f"/promises/story/{character.key}" + (f"/{page}" if page else "")
        for character in council.characters
        for page in range(len(council.promises) + 2)
    ]
    # The promises in each age band's words; the stories, told the same to every age, in
    # words or in symbols.
    shown = [(band, symbols, ["/promises"]) for band in AgeBand for symbols in (False, True)]
    shown += [(AgeBand.UNDER_5, symbols, stories) for symbols in (False, True)]
    for language in languages():
        client = app.test_client()
        for band, symbols, urls in shown:
            with client.session_transaction() as session:
                session["age"], session["symbols"] = band.value, symbols
            for url in urls:
                answer = client.get(url, headers={"Accept-Language": language})
                if answer.status_code != 200:
                    raise SystemExit(f"{url} in {language}: {answer.status_code}")
    return wanted


@cache
def voice(language: str) -> str | None:
    """espeak-ng's own voice for a language (never an MBROLA one, which needs more packages)."""
    listed = subprocess.run(
        ["espeak-ng", f"--voices={language.split('-')[0]}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()[1:]
    for row in listed:
        tag, file = row.split()[1], row.split()[4]
        if not file.startswith("mb/") and tag.split("-")[0] == language.split("-")[0]:
            return file
    return None


def record(language: str, text: str, target: Path) -> None:
    speaker = voice(language)
    assert speaker is not None
    spoken = subprocess.run(
        ["espeak-ng", "-v", speaker, "-s", WORDS_A_MINUTE, "--stdin", "--stdout"],
        input=text.encode(),
        check=True,
        capture_output=True,
    ).stdout
    # Mono, 16 kHz, 16 kbit/s: about 2 KB a second of a robot's voice, which is all it needs.
    partial = target.with_suffix(".part")
    subprocess.run(
        ["lame", "--quiet", "-m", "m", "--resample", "16", "-b", "16", "-", str(partial)],
        input=spoken,
        check=True,
    )
    partial.rename(target)


def main() -> None:
    named = os.environ.get("COUNCIL_FILE")
    files = COUNCILS + ([Path(named)] if named else [])
    wanted = set().union(*(lines_to_record(path) for path in files))
    OUT.mkdir(parents=True, exist_ok=True)
    to_make = {
        OUT / recording_name(language, text): (language, text)
        for language, text in wanted
        if voice(language) is not None
    }
    missing = {path: line for path, line in to_make.items() if not path.exists()}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda item: record(*item[1], item[0]), missing.items()))
    silent = sorted({language for language, _ in wanted if voice(language) is None})
    print(
        f"{len(to_make)} lines recorded in {OUT.relative_to(ROOT)} ({len(missing)} new); "
        f"no espeak-ng voice for: {', '.join(silent) or 'none'}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
