"""The council's content (council.toml), checked once at start-up.

A council edits one file to adopt the app, so a mistake in it must stop the app with a
message that says exactly which key is wrong, rather than show a child an empty page later.
pydantic does the checking: `extra="forbid"` turns a mistyped key into an error too.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib
import zoneinfo
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import holidays
from flask import current_app, has_request_context
from flask_babel import get_locale
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.contacts.office import Office
from app.deadlines import Clock

COUNCIL_FILE = Path(__file__).with_name("council.toml")
SYMBOL_DIR = Path(__file__).parent / "static" / "vendor" / "openmoji"

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Text = Annotated[str, Field(min_length=1, max_length=400)]
# A promise in a council's own words: real pledges run long (one of Lambeth's ten is 422
# characters), so the wording a council copies in has room to spare.
Wording = Annotated[str, Field(min_length=1, max_length=1000)]
MAX_PROMISES = 80
MAX_SECTIONS = 20
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ]{2,19}$")]
ClockTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class CouncilError(Exception):
    """council.toml cannot be used; the message names the key that is wrong."""


def symbol_filename(symbol: str) -> str:
    """The OpenMoji file for an emoji: its code points in hex, without variation selectors."""
    return "-".join(f"{ord(char):X}" for char in symbol if char != "\ufe0f") + ".svg"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Symbol(Strict):
    """Something drawn with an OpenMoji picture."""

    symbol: Annotated[str, Field(min_length=1, max_length=12)]

    @property
    def symbol_file(self) -> str:
        return symbol_filename(self.symbol)


class CouncilInfo(Strict):
    name: Text
    service_name: Text
    team_name: Text
    phone: Phone
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    website: Annotated[str, Field(pattern=r"^https://")]
    written_with: Text
    written_with_about: Text
    emergency_duty_team_phone: Phone
    exit_url: Annotated[str, Field(pattern=r"^https://")]
    data_protection_email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    statement_prepared: dt.date
    statement_reviewed: dt.date


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)


class ResponseRule(Strict):
    hours: Annotated[int, Field(gt=0, le=24 * 30)]
    working_days: Annotated[tuple[Weekday, ...], Field(min_length=1)] = WEEKDAYS[:5]
    timezone: str
    holidays_country: str
    holidays_subdivision: str | None = None
    office_opens: ClockTime
    office_closes: ClockTime
    # The head of service is shown allocated contacts with no update for this many working days.
    no_update_working_days: Annotated[int, Field(gt=0, le=60)] = 5

    @field_validator("working_days")
    @classmethod
    def _each_day_once(cls, days: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        if len(set(days)) != len(days):
            raise ValueError("a day is named twice")
        return days

    @property
    def weekdays(self) -> frozenset[int]:
        """The working days as Python numbers them: Monday is 0."""
        return frozenset(WEEKDAYS.index(day) for day in self.working_days)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone name such as 'Europe/London'") from None
        return value

    @model_validator(mode="after")
    def _known_calendar(self) -> ResponseRule:
        try:
            holidays.country_holidays(self.holidays_country, subdiv=self.holidays_subdivision)
        except NotImplementedError as error:
            raise ValueError(f"the holidays package does not know this calendar: {error}") from None
        if self.office_opens >= self.office_closes:
            raise ValueError("office_opens must be before office_closes")
        return self

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @cached_property
    def clock(self) -> Clock:
        return Clock(
            hours=self.hours,
            timezone=self.timezone,
            holidays_country=self.holidays_country,
            holidays_subdivision=self.holidays_subdivision,
            office_opens=dt.time.fromisoformat(self.office_opens),
            office_closes=dt.time.fromisoformat(self.office_closes),
            working_days=self.weekdays,
        )


class Team(Strict):
    """A team staff work in: a contact can be about one, and nobody in it is given that
    contact (issue 10, point 9)."""

    key: Key
    name: Text


class StaffSettings(Strict):
    short_name: Annotated[str, Field(min_length=1, max_length=40)]
    issuer: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^:]+$")]
    mailbox: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    # Where a contact handed over to the formal complaint process (Stage 1) is announced.
    complaints_email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    themes: Annotated[tuple[Text, ...], Field(min_length=1)]
    teams: Annotated[tuple[Team, ...], Field(min_length=1, max_length=200)]

    @field_validator("teams")
    @classmethod
    def _each_team_once(cls, teams: tuple[Team, ...]) -> tuple[Team, ...]:
        seen: set[str] = set()
        for team in teams:
            if team.key in seen:
                raise ValueError(f"the team key {team.key!r} is used twice")
            seen.add(team.key)
        return teams

    @cached_property
    def teams_by_key(self) -> dict[str, Team]:
        return {team.key: team for team in self.teams}


class Retention(Strict):
    """How long a finished contact keeps the child's words and contact details (app/retention.py);
    the anonymised facts the report counts are kept."""

    days_after_closing: Annotated[int, Field(ge=1, le=3650)]


class Reported(Strict):
    """A rate the council reported before it had the app, for the report to set beside its own
    (promise awareness: the council's IROs reported one each year)."""

    year: Annotated[int, Field(ge=2000, le=2100)]
    percent: Annotated[int, Field(ge=0, le=100)]


class ReportSettings(Strict):
    awareness_reported: Reported | None = None


Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
DARK_TEXT = "#0b0c0c"
WHITE = "#ffffff"


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class AppInfo(Symbol):
    name: Annotated[str, Field(min_length=1, max_length=45)]
    short_name: Annotated[str, Field(min_length=1, max_length=12)]
    symbol: Annotated[str, Field(min_length=1, max_length=12, alias="icon")]
    # The app's colours: white words on theme_colour (the header, the buttons), dark words on
    # accent_colour (highlights, the current stage) and on soft_colour (the page's panels).
    theme_colour: Colour
    accent_colour: Colour = "#ffd23f"
    soft_colour: Colour = "#eef3f9"

    @model_validator(mode="after")
    def _readable(self) -> AppInfo:
        """Children's pages aim for 7:1 (WCAG AAA); 4.5:1 is the least the app accepts."""
        pairs = {
            "theme_colour": (self.theme_colour, WHITE, "white"),
            "accent_colour": (self.accent_colour, DARK_TEXT, "dark"),
            "soft_colour": (self.soft_colour, DARK_TEXT, "dark"),
        }
        for key, (colour, text, name) in pairs.items():
            ratio = contrast(colour, text)
            if ratio < 4.5:
                raise ValueError(
                    f"{key} {colour} gives {name} words a contrast of {ratio:.1f}:1; "
                    "at least 4.5:1 is needed"
                )
        return self


class Character(Symbol):
    key: Key
    name: Text
    hello: Wording
    before: Wording
    after: Wording
    # The book's pages, tinted with `colour`, with `scenery` drawn from the character's world.
    colour: Colour = "#eef3f9"
    scenery: Annotated[
        tuple[Annotated[str, Field(min_length=1, max_length=12)], ...], Field(max_length=4)
    ] = ()
    # A line of the character's world before each promise's own words, by promise key.
    pages: dict[Key, Wording] = Field(default_factory=dict)
    # The story words need the council's sign-off: the app's own are "awaiting" it.
    sign_off: Literal["awaiting", "signed"]

    @model_validator(mode="after")
    def _readable_pages(self) -> Character:
        ratio = contrast(self.colour, DARK_TEXT)
        if ratio < 4.5:
            raise ValueError(
                f"colour {self.colour} gives dark words {ratio:.1f}:1; 4.5:1 is needed"
            )
        return self


class EasyReadLine(Symbol):
    text: Text


class PrintHeadings(Strict):
    """The headings of the printed card and posters, in the council's words."""

    card_back: Text
    poster: Text
    symbol_poster: Text
    list_poster: Text


class Section(Strict):
    key: Key
    title: Text


class Form(StrEnum):
    """The printed versions of the promise, each for its readers."""

    CARD = "card"  # the promise card, 10 and over
    POSTER = "poster"  # the under-10s poster, 5 to 9
    AGREEMENT = "agreement"  # the under-10s agreement
    STORY = "story"  # the under-5s story books


# Where a promise lacks the words for a form, the nearest form it has stands in for it.
# "easy_read" is the easy-read lines read as one text: for the under-5s, who hear the promises
# read by a grown-up, the simplest words the council wrote come before the card's; for every
# other form it is the last resort.
EASY_READ = "easy_read"
FALLBACK: dict[Form, tuple[str, ...]] = {
    Form.CARD: (Form.CARD, Form.POSTER, Form.AGREEMENT, Form.STORY, EASY_READ),
    Form.POSTER: (Form.POSTER, Form.AGREEMENT, Form.CARD, Form.STORY, EASY_READ),
    Form.AGREEMENT: (Form.AGREEMENT, Form.POSTER, Form.CARD, Form.STORY, EASY_READ),
    Form.STORY: (Form.STORY, Form.POSTER, Form.AGREEMENT, EASY_READ, Form.CARD),
}
FALLBACK_SYMBOL = "⭐"

# Easy read is one idea a line of at most about 15 words (CHILD-DESIGN.md): a promise written
# as one long sentence is cut into lines of about this many characters.
EASY_READ_WIDTH = 80
# Where a long sentence may be cut, best first: after ";" or ":", after ",", before "and".
_CLAUSE_BREAKS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+(?=and\s)", re.IGNORECASE),
)
# After ".", "!" or "?", or after one of them and a closing quote or bracket.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"'”’)\]])\s+")
_ANY_SPACE = re.compile(r"\s+")


def short_lines(text: str, width: int = EASY_READ_WIDTH) -> tuple[str, ...]:
    """`text` cut into easy-read lines: a line a sentence, and a sentence longer than `width`
    cut at the clause break nearest its middle (";" or ":", then ",", then before "and"),
    else at the space nearest its middle, until each line fits or is one word.

    Every cut is made at a space and only the space goes, so no word is dropped or changed:
    the lines joined with the spaces between them give back the text. Predictable, not
    clever: a council that wants better lines writes its own `easy_read`."""
    sentences = _SENTENCE_BREAK.split(text.strip())
    return tuple(line for sentence in sentences if sentence for line in _halve(sentence, width))


def _halve(piece: str, width: int) -> list[str]:
    if len(piece) <= width:
        return [piece]
    middle = len(piece) / 2
    for pattern in (*_CLAUSE_BREAKS, _ANY_SPACE):
        cuts = [m for m in pattern.finditer(piece) if m.start() > 0 and m.end() < len(piece)]
        if pattern is not _ANY_SPACE:  # a clause break far from the middle makes a scrap
            cuts = [m for m in cuts if len(piece) / 4 <= m.start() <= len(piece) * 3 / 4]
        if cuts:
            cut = min(cuts, key=lambda m: abs(m.start() - middle))
            return _halve(piece[: cut.start()], width) + _halve(piece[cut.end() :], width)
    return [piece]  # one word longer than a line: kept whole


class Promise(Strict):
    key: Key
    title: Text
    section: Key | None = None
    card: Wording | None = None
    poster: Wording | None = None
    agreement: Wording | None = None
    story: Wording | None = None
    easy_read: tuple[EasyReadLine, ...] = ()

    @model_validator(mode="after")
    def _has_some_words(self) -> Promise:
        if not (self.easy_read or any(getattr(self, form.value) for form in Form)):
            raise ValueError("a promise needs words for at least one form (card, poster, ...)")
        return self

    def words(self, form: Form | str) -> str:
        """The promise in the words of `form`, or of the nearest form it has."""
        for candidate in FALLBACK[Form(form)]:
            if candidate == EASY_READ:
                text = " ".join(line.text for line in self.easy_read)
            else:
                text = getattr(self, candidate) or ""
            if text:
                return text
        raise AssertionError("the validator ensures a promise has some words")  # pragma: no cover

    def easy_read_lines(self) -> tuple[EasyReadLine, ...]:
        """The council's easy read, or else the poster's (or the nearest) words in short lines,
        each beside the star: never one long sentence beside one picture."""
        if self.easy_read:
            return self.easy_read
        return tuple(
            EasyReadLine(text=line, symbol=FALLBACK_SYMBOL)
            for line in short_lines(self.words(Form.POSTER))
        )


class Council(Strict):
    council: CouncilInfo
    response: ResponseRule
    staff: StaffSettings
    retention: Retention
    report: ReportSettings = ReportSettings()
    app: AppInfo
    print: PrintHeadings
    characters: tuple[Character, ...] = ()
    sections: Annotated[tuple[Section, ...], Field(max_length=MAX_SECTIONS)] = ()
    promises: Annotated[tuple[Promise, ...], Field(min_length=1, max_length=MAX_PROMISES)]

    @model_validator(mode="after")
    def _keys_are_unique_and_known(self) -> Council:
        for name in ("characters", "sections", "promises"):
            seen: set[str] = set()
            for item in getattr(self, name):
                if item.key in seen:
                    raise ValueError(f"{name}: the key {item.key!r} is used twice")
                seen.add(item.key)
        known = {promise.key for promise in self.promises}
        for character in self.characters:
            unknown = sorted(set(character.pages) - known)
            if unknown:
                raise ValueError(
                    f"characters: {character.key!r} has pages for {', '.join(unknown)}, "
                    "which are not promises"
                )
        sections = {section.key for section in self.sections}
        for promise in self.promises:
            if promise.section is not None and promise.section not in sections:
                raise ValueError(
                    f"promises: {promise.key!r} names the section {promise.section!r}, "
                    "which is not in [[sections]]"
                )
        return self

    @cached_property
    def promises_by_key(self) -> dict[str, Promise]:
        return {promise.key: promise for promise in self.promises}

    @cached_property
    def promise_symbols(self) -> dict[str, str]:
        """A picture for each promise, beside it wherever a promise is chosen in symbol mode."""
        return {p.key: p.easy_read_lines()[0].symbol for p in self.promises} | {"other": "❓"}

    def character(self, key: str) -> Character | None:
        return next((c for c in self.characters if c.key == key), None)

    def grouped_promises(self) -> list[tuple[Section | None, list[Promise]]]:
        """The promises under their sections, in file order; one unnamed group when none."""
        if not self.sections:
            return [(None, list(self.promises))]
        groups = [
            (section, [p for p in self.promises if p.section == section.key])
            for section in self.sections
        ]
        loose = [p for p in self.promises if p.section is None]
        return ([(None, loose)] if loose else []) + [(s, ps) for s, ps in groups if ps]

    def symbols(self) -> set[str]:
        """Every emoji this file draws, so `make vendor` can fetch each one."""
        found = {self.app.symbol, FALLBACK_SYMBOL, "❓"}
        found |= {character.symbol for character in self.characters}
        found |= {symbol for character in self.characters for symbol in character.scenery}
        for promise in self.promises:
            found |= {line.symbol for line in promise.easy_read}
        return found


def _where(location: tuple[int | str, ...], data: dict[str, Any]) -> str:
    """A readable path to the bad key, naming a promise by its key as well as its place."""
    parts: list[str] = []
    node: Any = data
    for step in location:
        if isinstance(step, int):
            parts[-1] += f"[{step + 1}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and "key" in node:
                parts[-1] += f" (key {node['key']!r})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "the file"


def load(path: Path = COUNCIL_FILE, *, check_symbols: bool = True) -> Council:
    """Read and check council.toml, or raise CouncilError naming every wrong key."""
    data = _read(path)
    try:
        council = Council.model_validate(data)
    except ValidationError as error:
        problems = [f"  {_where(e['loc'], data)}: {e['msg']}" for e in error.errors()]
        raise CouncilError(f"{path.name} is not right:\n" + "\n".join(problems)) from None
    if check_symbols:
        missing = sorted(
            s for s in council.symbols() if not (SYMBOL_DIR / symbol_filename(s)).is_file()
        )
        if missing:
            raise CouncilError(
                f"{path.name} names symbols that are not vendored: {' '.join(missing)} "
                "(run `make vendor`)"
            )
    return council


# The council's words a child reads, which a translation may give (and nothing else: a
# translation cannot change a key, a phone number or a symbol). By table, then by item key.
TRANSLATABLE: dict[str, frozenset[str]] = {
    "council": frozenset(
        {"name", "service_name", "team_name", "written_with", "written_with_about"}
    ),
    "app": frozenset({"name", "short_name"}),
    "print": frozenset({"card_back", "poster", "symbol_poster", "list_poster"}),
}
TRANSLATABLE_ITEMS: dict[str, frozenset[str]] = {
    "characters": frozenset({"name", "hello", "before", "after", "pages"}),
    "sections": frozenset({"title"}),
    "promises": frozenset({"title", *(form.value for form in Form), EASY_READ}),
}


def translation_files(path: Path) -> dict[str, Path]:
    """The council's translations beside its file: `council.ar.toml` for `council.toml`."""
    found = {}
    for candidate in sorted(path.parent.glob(f"{path.stem}.*.toml")):
        lang = candidate.name[len(path.stem) + 1 : -len(".toml")]
        if re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", lang):
            found[lang] = candidate
    return found


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CouncilError(f"{path.name} cannot be read: {error}") from None


def translated(data: dict[str, Any], words: dict[str, Any], name: str) -> dict[str, Any]:
    """The council file's `data` with a translation's `words` laid over it: the same keys, in
    tables by item key (`[promises.stay_safe]`), and easy read as a list of lines, one for
    each of the English ones (their symbols stay). What it leaves out stays in English."""
    data = copy.deepcopy(data)
    problems: list[str] = []
    for table, given in words.items():
        if table in TRANSLATABLE and isinstance(given, dict):
            for field, text in given.items():
                if field not in TRANSLATABLE[table]:
                    problems.append(f"{table}.{field} is not words a translation can give")
                else:
                    data.setdefault(table, {})[field] = text
        elif table in TRANSLATABLE_ITEMS and isinstance(given, dict):
            items = {item.get("key"): item for item in data.get(table, [])}
            for key, fields in given.items():
                item = items.get(key)
                if item is None or not isinstance(fields, dict):
                    problems.append(f"{table}.{key} is not in the council file")
                else:
                    problems += _translate_item(table, item, fields)
        else:
            problems.append(f"[{table}] is not a part of the council file a translation can give")
    if problems:
        raise CouncilError(f"{name} is not right:\n" + "\n".join(f"  {p}" for p in problems))
    return data


def _translate_item(table: str, item: dict[str, Any], fields: dict[str, Any]) -> list[str]:
    """Lay one promise's (character's, section's) words over it; what is wrong, in words."""
    problems = []
    for field, text in fields.items():
        where = f"{table}.{item['key']}.{field}"
        if field not in TRANSLATABLE_ITEMS[table]:
            problems.append(f"{where} is not words a translation can give")
        elif field == "pages":
            if set(text) - set(item.get("pages", {})):
                problems.append(f"{where} has pages the council file has not")
            item["pages"] = {**item.get("pages", {}), **text}
        elif field == EASY_READ:
            lines = item.get(EASY_READ, [])
            if not isinstance(text, list) or len(text) != len(lines):
                problems.append(f"{where} needs {len(lines)} lines, one for each")
            else:
                item[EASY_READ] = [
                    {**line, "text": words} for line, words in zip(lines, text, strict=True)
                ]
        else:
            item[field] = text
    return problems


def untranslated(data: dict[str, Any], words: dict[str, Any]) -> list[str]:
    """Where a translation leaves the council's words in English: for the test that says a
    council's shipped translations are complete."""
    missing = [
        f"{table}.{field}"
        for table, fields in TRANSLATABLE.items()
        for field in sorted(fields)
        if field in data.get(table, {}) and field not in words.get(table, {})
    ]
    for table, fields in TRANSLATABLE_ITEMS.items():
        for item in data.get(table, []):
            given = words.get(table, {}).get(item["key"], {})
            for field in sorted(fields):
                if field == "pages":
                    missing += [
                        f"{table}.{item['key']}.pages.{page}"
                        for page in item.get("pages", {})
                        if page not in given.get("pages", {})
                    ]
                elif field in item and field not in given:
                    missing.append(f"{table}.{item['key']}.{field}")
    return missing


def load_translations(path: Path) -> dict[str, Council]:
    """The council in each language it has been translated into, checked like the file."""
    data = _read(path)
    councils = {}
    for lang, file in translation_files(path).items():
        merged = translated(data, _read(file), file.name)
        try:
            councils[lang] = Council.model_validate(merged)
        except ValidationError as error:
            problems = [f"  {_where(e['loc'], merged)}: {e['msg']}" for e in error.errors()]
            raise CouncilError(f"{file.name} is not right:\n" + "\n".join(problems)) from None
    return councils


def phone_uri(phone: str) -> str:
    """A tel: link for a written phone number."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def current() -> Council:
    """The running app's council, loaded and checked once by create_app(): in the page's
    language where the council has translated its words, else in its own."""
    found: Council = current_app.extensions["council"]
    translations: dict[str, Council] = current_app.extensions.get("council_translations", {})
    if translations and has_request_context():
        return translations.get(str(get_locale()), found)
    return found


def office() -> Office:
    """What the rules need of the running council and of this deployment."""
    council = current()
    return Office(
        clock=council.response.clock,
        promise_keys=council.promises_by_key,
        mailbox=council.staff.mailbox,
        service=council.staff.short_name,
        base_url=current_app.config["BASE_URL"],
        complaints=council.staff.complaints_email,
        teams={team.key: team.name for team in council.staff.teams},
    )
