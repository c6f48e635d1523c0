"""The shipped translations are complete for the child, and marked as awaiting review.

Child-side or staff-side is decided by where a string is used: a string used anywhere outside
the staff pages (app/staff/, templates/staff/, the staff layout) and the staff's emails
(app/contacts/mail.py, app/staff_accounts.py) is the child's, and every
shipped catalogue must translate it. Staff-only strings go through gettext too, but may stay in
English until a council wants its staff pages translated. The strings are extracted afresh from
the code, so a sentence added since `make translations` last ran fails here as well.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from app.council import (
    COUNCIL_FILE,
    CouncilError,
    load_translations,
    translated,
    translation_files,
    untranslated,
)

ROOT = Path(__file__).parent.parent
CATALOGUES = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
LANGS = [path.parent.parent.name for path in CATALOGUES]
REVIEW_NOTE = "AWAITING REVIEW BY A FLUENT SPEAKER"
STAFF_ONLY = re.compile(
    r"^app/(staff/|templates/staff/|templates/layouts/staff\.html"
    r"|contacts/mail\.py|staff_accounts\.py)"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def child_side(message: Message) -> bool:
    return any(not STAFF_ONLY.match(path) for path, _ in message.locations)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [pybabel, "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", pot, "app"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as file:
        return read_po(file)


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def test_the_six_languages_are_shipped() -> None:
    assert set(LANGS) >= {"ar", "ur", "fa", "ckb", "pl", "ro"}


@pytest.mark.parametrize("path", CATALOGUES, ids=LANGS)
def test_each_catalogue_says_it_awaits_review(path: Path) -> None:
    assert REVIEW_NOTE in (read(path).header_comment or ""), f"{path}: no review note"


@pytest.mark.parametrize("path", CATALOGUES, ids=LANGS)
def test_every_child_side_sentence_is_translated(path: Path, extracted: Catalog) -> None:
    catalogue = read(path)
    missing = []
    for source in extracted:
        if not source.id or not child_side(source):
            continue
        found = catalogue.get(source.id)
        strings = (
            (found.string if isinstance(found.string, tuple) else (found.string,)) if found else ()
        )
        if found is None or found.fuzzy or not strings or not all(strings):
            missing.append(source.id if isinstance(source.id, str) else source.id[0])
    assert not missing, f"{path.parent.parent.name}: {len(missing)} untranslated: {missing[:20]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=LANGS)
def test_translations_keep_every_placeholder(path: Path) -> None:
    wrong = []
    for message in read(path):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        wrong += [
            message.id for text in strings if text and set(PLACEHOLDER.findall(text)) != wanted
        ]
    assert not wrong, wrong


def catalogue_with(tmp_path: Path, header: str, entry: str) -> Path:
    path = tmp_path / "messages.po"
    path.write_text(f'{header}msgid ""\nmsgstr ""\n"Language: ar\\n"\n\n{entry}', encoding="utf-8")
    return path


def test_the_checks_fail_on_what_they_look_for(tmp_path: Path) -> None:
    """The tests above, shown to fail: a fuzzy entry, an empty one, a header with no note."""
    fuzzy = read(
        catalogue_with(tmp_path, f"# {REVIEW_NOTE}\n", '#, fuzzy\nmsgid "Menu"\nmsgstr "x"\n')
    )
    assert fuzzy.get("Menu").fuzzy
    empty = read(catalogue_with(tmp_path, f"# {REVIEW_NOTE}\n", 'msgid "Menu"\nmsgstr ""\n'))
    assert not empty.get("Menu").string
    bare = read(catalogue_with(tmp_path, "# Arabic translations\n", 'msgid "Menu"\nmsgstr "x"\n'))
    assert REVIEW_NOTE not in (bare.header_comment or "")
    staff = Message("Tracker", locations=[("app/templates/staff/tracker/index.html", 3)])
    shared = Message("Menu", locations=[("app/templates/staff/a.html", 1), ("app/labels.py", 2)])
    assert not child_side(staff) and child_side(shared)


# The council's own words: Leeds' file is translated whole into every shipped language.


def test_leeds_words_are_translated_into_every_shipped_language() -> None:
    data = tomllib.loads(COUNCIL_FILE.read_text(encoding="utf-8"))
    files = translation_files(COUNCIL_FILE)
    assert set(files) == set(LANGS)
    for lang, path in files.items():
        words = tomllib.loads(path.read_text(encoding="utf-8"))
        assert untranslated(data, words) == [], lang
        assert REVIEW_NOTE in path.read_text(encoding="utf-8"), path.name
    councils = load_translations(COUNCIL_FILE)
    for lang, council in councils.items():
        # Only words change: the keys, symbols and numbers are the council file's own.
        english = tomllib.loads(COUNCIL_FILE.read_text(encoding="utf-8"))
        assert [p.key for p in council.promises] == [p["key"] for p in english["promises"]]
        assert council.council.phone == english["council"]["phone"], lang
        assert (
            council.promises[0].easy_read[0].symbol
            == english["promises"][0]["easy_read"][0]["symbol"]
        )


def test_a_translation_that_leaves_words_out_falls_back_to_english() -> None:
    data = tomllib.loads(COUNCIL_FILE.read_text(encoding="utf-8"))
    words = {"promises": {"listen": {"title": "Słuchamy"}}}
    merged = translated(data, words, "council.pl.toml")
    listen = next(p for p in merged["promises"] if p["key"] == "listen")
    assert listen["title"] == "Słuchamy" and listen["card"].startswith("We promise")
    assert "promises.listen.card" in untranslated(data, words)
    assert "council.name" in untranslated(data, words)


@pytest.mark.parametrize(
    ("words", "named"),
    [
        ({"council": {"phone": "0"}}, "council.phone is not words"),
        ({"promises": {"no_such": {"title": "x"}}}, "promises.no_such is not in"),
        ({"promises": {"listen": {"key": "x"}}}, "promises.listen.key is not words"),
        ({"promises": {"listen": {"easy_read": ["one"]}}}, "promises.listen.easy_read needs 2"),
        ({"characters": {"jenny": {"pages": {"nope": "x"}}}}, "characters.jenny.pages has pages"),
        ({"response": {"hours": 1}}, "[response] is not a part"),
    ],
)
def test_a_translation_that_changes_more_than_words_is_refused(
    words: dict[str, object], named: str
) -> None:
    data = tomllib.loads(COUNCIL_FILE.read_text(encoding="utf-8"))
    with pytest.raises(CouncilError, match=re.escape(named)):
        translated(data, words, "council.xx.toml")


def test_a_mistake_in_a_translation_file_stops_the_app_naming_the_file(tmp_path: Path) -> None:
    council = tmp_path / "council.toml"
    council.write_text(COUNCIL_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "council.pl.toml").write_text('[promises.listen]\ntitle = ""\n', encoding="utf-8")
    with pytest.raises(CouncilError, match=r"council\.pl\.toml is not right:\n  promises\[5\]"):
        load_translations(council)
