"""A hostile corpus, fired at every URL the app answers, as every kind of visitor.

Odd query strings, odd bodies, huge bodies, NUL, invalid UTF-8 (percent-escaped and raw),
files where text is expected, numbers too big for any column, negative numbers, and digits
that are not ASCII. Used by tests/test_hostile_input.py (which asserts no 5xx) and by
bench/hostile_input.py (which prints the totals on each database).

Every URL comes from the app's own URL map, so a new route is covered without editing this
file; the fields posted to a URL are the ones its forms really have (read from the pages, or
from the staff actions' forms), each signed with the client's real CSRF token so the hostile
values reach the forms and the rules rather than stopping at the CSRF check.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import IntegerConverter, Rule

from app.extensions import db, limiter
from app.models import Contact
from app.roles import Role
from app.staff.contact import ACTIONS, form_for
from tests.helpers import COUNCIL, csrf_token, make_contact
from tests.journey import fill_in, send_message
from tests.staff_helpers import make_staff, signed_in_client

# Numbers as nobody should send them: not ASCII, negative, past every integer column.
NUMBERS = [
    "²",
    "٣",  # an Arabic-Indic three: Python's int() reads it
    "𝟘",
    "-1",
    "0",
    "4000000000000000000",
    "9" * 24,
    "-" + "9" * 24,
    str(2**63),
    "1e309",
    "NaN",
    "0x10",
    " 7 ",
]
TEXT = [
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "\u200b",
    "\u202eevil\u202c",
    "<script>alert(1)</script>",
    "'; DROP TABLE contact; --",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "",
]
VALUES = NUMBERS + TEXT
# Bytes that are not UTF-8, as a query string or form body carries them (percent-escaped).
ESCAPES = ["%C0%AF", "%FF", "%00", "%ED%A0%80", "%F4%90%80%80", "%", "%E2%82"]
# The same, raw in a path (WSGI carries a path's bytes as latin-1 characters).
RAW_PATHS = ["\xff", "\xc0\xaf", "\x00", "\xed\xa0\x80"]
# Path values: the real one is added per URL.
PATH_TEXT = ["²", "9" * 24, "x" * 2000, "..", "%", "\u202e", "\x00"]
INTEGER_PATHS = [str(10**24), str(2**63), str(2**31), "0", "٣"]
# Every query parameter any page reads, and a stranger.
PARAMS = ["page", "stage", "kind", "urgent", "late", "mine", "next", "change", "v"]
TOO_BIG = 2 * 1024 * 1024  # twice the limit (MAX_CONTENT_LENGTH)
# Whose visit fires the whole corpus at a URL every visitor can use in the same way.
FULL_ONLY_FOR = {"staff.sign_in": "anonymous staff"}
# Fired last for each client: they end the session or forget what the others need.
LAST = {"child.quick_exit", "child.forget_messages", "staff.sign_out"}


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # a 5xx or a broken house rule
    causes: Counter[str] = field(default_factory=Counter)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def summary(self) -> str:
        return (
            f"{self.requests} hostile requests, {self.server_errors} answered 5xx; "
            f"statuses {dict(sorted(self.statuses.items()))}"
        )


class _Causes(logging.Handler):
    """Collects the exception behind each 500 (the app logs it as "unhandled error")."""

    def __init__(self, tally: Tally) -> None:
        super().__init__(logging.ERROR)
        self.tally = tally

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            self.tally.causes[f"{type(error).__name__}: {str(error)[:90]}"] += 1


@dataclass
class Visitor:
    name: str
    client: FlaskClient
    staff: bool
    token: str = ""


@dataclass(frozen=True)
class World:
    contact_id: int
    reference: str
    victim_id: int  # the account the admin's forms are aimed at


def _token(client: FlaskClient, page: str) -> str:
    return csrf_token(client.get(page).get_data(as_text=True))


def visitors(app: Flask) -> tuple[World, list[Visitor]]:
    """A child with a sent message and a draft, a stranger, and every staff role."""
    child = app.test_client()
    reference = send_message(child)
    fill_in(child)  # and a new message half written
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    make_contact()  # another child's message
    people: list[Visitor] = [
        Visitor("child", child, staff=False),
        Visitor("stranger", app.test_client(), staff=False),
        Visitor("anonymous staff", app.test_client(), staff=True),
    ]
    for role in Role:
        client, user = signed_in_client(app, role.value)
        if role is Role.SENIOR_MANAGER:
            contact.allocated_to_id = user.id
            db.session.commit()
        people.append(Visitor(role.value, client, staff=True))
    for person in people:
        person.token = _token(person.client, "/staff/sign-in" if person.staff else "/choose")
    world = World(contact.id, reference, make_staff("customer_relations").id)
    db.session.remove()
    return world, people


def _good_values(rule: Rule, world: World) -> dict[str, str]:
    good = {
        "contact_id": str(world.contact_id),
        "staff_id": str(world.victim_id),
        "reference": world.reference,
        "step": "words",
        "key": COUNCIL.characters[0].key if COUNCIL.characters else "nobody",
        "name": "note",
        "change": "disable",
        "filename": "css/app.css",
        "token": "a-one-time-link-that-was-never-sent",
        "question_id": "1",  # no such question on the message: refused in words
        "item_id": "1",  # no such "you said, we did" item: refused in words
        "page": "1",  # a story book's first promise
        "names": "1F4AC_2B50",  # a sheet of two vendored symbols
    }
    return {argument: good[argument] for argument in rule.arguments}


def _path(rule: Rule, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        return quote(values[match.group(1)], safe="/%")

    return re.sub(r"<(?:\w+:)?(\w+)>", value, rule.rule)


def _paths(rule: Rule, world: World) -> Iterator[tuple[str, str | None, bool]]:
    """(path, raw PATH_INFO or None, whether the path itself is hostile): the real values
    first (each action, for the contact's actions), then each argument made hostile."""
    good = _good_values(rule, world)
    if rule.endpoint == "staff.act":
        for name in ACTIONS:
            yield _path(rule, {**good, "name": name}), None, False
    else:
        yield _path(rule, good), None, False
    for argument, converter in rule._converters.items():
        hostile = INTEGER_PATHS if isinstance(converter, IntegerConverter) else PATH_TEXT
        for value in hostile:
            yield _path(rule, {**good, argument: value}), None, True
        for raw in RAW_PATHS:
            path = _path(rule, {**good, argument: "RAW"})
            yield path, path.replace("RAW", raw), True


def _fields(app: Flask, path: str, crawled: dict[str, set[str]]) -> list[str]:
    names = set(crawled.get(path, set()))
    parts = path.split("/")
    if path.startswith("/staff/contacts/") and len(parts) == 5 and parts[4] in ACTIONS:
        with app.test_request_context():
            names |= {f.name for f in form_for(parts[4])}
    return sorted(names or {"text", "words", "email", "password", "code", "csrf_token"})


def crawl(person: Visitor, paths: list[str]) -> dict[str, set[str]]:
    """Each POST form on the pages this visitor can open: its action and its fields' names."""
    found: dict[str, set[str]] = {}
    for path in paths:
        with person.client.get(path) as response:
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        for form in page.select("form[method=post]"):
            action = urlsplit(str(form.get("action") or path)).path
            names = {str(f["name"]) for f in form.select("[name]") if f.name != "button"}
            found.setdefault(action, set()).update(names)
    return found


def _with_token(person: Visitor, fields: list[str], value: Any) -> dict[str, Any]:
    return {name: person.token if name.endswith("csrf_token") else value for name in fields}


def _raw_body(person: Visitor, fields: list[str], escaped: str) -> str:
    return "&".join(
        f"{name}={person.token if name.endswith('csrf_token') else escaped}" for name in fields
    )


Request = tuple[str, str, dict[str, Any]]  # method, path, keyword arguments for the client


def _queries(path: str) -> list[Request]:
    values: list[Request] = [
        ("GET", path, {"query_string": {p: value for p in PARAMS}}) for value in VALUES
    ]
    escaped: list[Request] = [
        ("GET", path, {"query_string": "&".join(f"{p}={escape}" for p in PARAMS)})
        for escape in ESCAPES
    ]
    return values + escaped


def _bodies(person: Visitor, path: str, fields: list[str]) -> list[Request]:
    form = "application/x-www-form-urlencoded"
    bodies: list[Request] = [("POST", path, {"data": {}})]  # no token, nothing
    bodies += [("POST", path, {"data": _with_token(person, fields, v)}) for v in VALUES]
    bodies += [
        ("POST", path, {"data": _raw_body(person, fields, escape), "content_type": form})
        for escape in ESCAPES
    ]
    raw = _raw_body(person, fields, "a").encode() + b"&words=\xff\xfe\xc0\xaf"
    bodies.append(("POST", path, {"data": raw, "content_type": form}))
    # A file where text is expected, in every field but the token.
    files = {
        name: person.token
        if name.endswith("csrf_token")
        else (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\xff"), "photo.png")
        for name in fields
    }
    bodies.append(("POST", path, {"data": files, "content_type": "multipart/form-data"}))
    # Text fields in a multipart body, with bytes that are not UTF-8.
    multipart = "multipart/form-data; boundary=hostile"
    bodies.append(
        (
            "POST",
            path,
            {"data": _multipart(person, fields, b"\xff\xfe\xc0\xaf"), "content_type": multipart},
        )
    )
    bodies.append(("POST", path, {"data": b"a" * TOO_BIG, "content_type": form}))
    bodies.append(("POST", path, {"data": b'{"words": 1}', "content_type": "application/json"}))
    return bodies


def _few(person: Visitor, method: str, path: str, fields: list[str]) -> list[Request]:
    """NUL, and bytes that are not UTF-8: for a visitor the URL turns away at once."""
    if method == "GET":
        return [
            ("GET", path, {"query_string": {p: "\x00" for p in PARAMS}}),
            ("GET", path, {"query_string": "&".join(f"{p}=%FF" for p in PARAMS)}),
        ]
    form = "application/x-www-form-urlencoded"
    return [
        ("POST", path, {"data": _with_token(person, fields, "\x00")}),
        ("POST", path, {"data": _raw_body(person, fields, "%FF"), "content_type": form}),
    ]


def _refused(response: Any) -> bool:
    """Turned away before the view reads anything (a role without the permission, or nobody
    signed in): a few hostile requests prove the refusal holds, the rest would repeat it."""
    location = response.headers.get("Location", "")
    return response.status_code == 403 or location.startswith("/staff/sign-in")


def _fire_rule(
    app: Flask,
    tally: Tally,
    person: Visitor,
    rule: Rule,
    world: World,
    crawled: dict[str, set[str]],
) -> None:
    everything = FULL_ONLY_FOR.get(rule.endpoint, person.name) == person.name
    for path, raw, hostile in _paths(rule, world):
        extra: dict[str, Any] = {"environ_overrides": {"PATH_INFO": raw}} if raw else {}
        fields = _fields(app, path, crawled)
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = {"data": _with_token(person, fields, "x")} if method == "POST" else {}
            first = _one(tally, person, method, path, {**data, **extra})
            if hostile:
                continue  # the plain request is the test of a hostile path
            if first is None or _refused(first) or not everything:
                rest = _few(person, method, path, fields)
            elif method == "GET":
                rest = _queries(path)
            else:
                rest = _bodies(person, path, fields)
            for request in rest:
                _one(tally, person, *request)


def _multipart(person: Visitor, fields: list[str], value: bytes) -> bytes:
    parts = []
    for name in fields:
        content = person.token.encode() if name.endswith("csrf_token") else value
        parts.append(
            b'--hostile\r\nContent-Disposition: form-data; name="'
            + name.encode()
            + b'"\r\n\r\n'
            + content
            + b"\r\n"
        )
    return b"".join(parts) + b"--hostile--\r\n"


def fire(app: Flask) -> Tally:
    """Every hostile request, as every visitor; the statuses, and what any 5xx came from."""
    tally = Tally()
    catcher = _Causes(tally)
    app.logger.addHandler(catcher)
    app.logger.propagate = False  # the causes are counted, not printed 8,000 times
    try:
        world, people = visitors(app)
        rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint in LAST, r.rule))
        for person in people:
            mine = [r for r in rules if r.rule.startswith("/staff") == person.staff]
            if not person.staff:
                mine = [r for r in mine if r.endpoint != "static"] + (
                    [r for r in mine if r.endpoint == "static"] if person.name == "child" else []
                )
            pages = [_path(r, _good_values(r, world)) for r in mine if "GET" in r.methods]
            crawled = crawl(person, [p for p in pages if p not in {"/exit"}])
            for rule in mine:
                _fire_rule(app, tally, person, rule, world, crawled)
    finally:
        app.logger.removeHandler(catcher)
        app.logger.propagate = True
    return tally


def _one(
    tally: Tally, person: Visitor, method: str, path: str, kwargs: dict[str, Any]
) -> Any | None:
    limiter.reset()  # the limits are tested elsewhere; here every try must reach the view
    tally.requests += 1
    what = f"{person.name} {method} {path[:80]} {str(kwargs)[:120]}"
    try:
        response = person.client.open(path, method=method, **kwargs)
    except AssertionError as broken:  # a page that breaks a house rule
        tally.statuses[200] += 1
        tally.failures.append(f"house rules: {what}: {str(broken)[:200]}")
        return None
    except Exception as error:  # what a WSGI server would answer with a 500
        tally.statuses[500] += 1
        tally.causes[f"{type(error).__name__}: {str(error)[:90]}"] += 1
        tally.failures.append(f"500 (raised): {what}")
        return None
    finally:
        # As after a real request: the next one starts with a fresh database session, not
        # one a failed transaction left aborted (the tests' app context outlives requests).
        db.session.remove()
    tally.statuses[response.status_code] += 1
    if response.status_code >= 500:
        tally.failures.append(f"{response.status_code}: {what}")
    response.close()
    return response
