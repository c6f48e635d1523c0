"""Growth: the staff pages at 10,000, 50,000 and 200,000 contacts on PostgreSQL.

Contacts are made as two years of real use would leave them, loaded with COPY (psycopg):
received mostly on weekdays, after school, fewer at weekends and on England's bank holidays;
most closed, a few urgent, some allocated to senior managers; each with its events in order
(sent, read, allocated, tries that failed, spoke to the child, updates, closed, feedback), the
columns the events derive (stage, urgent, allocated person, first contact) set as the rules
would, and the deadline from the council's own clock. The encrypted columns hold real
ciphertexts under the test key, made once per variant and reused.

At each size the tracker's first page, its filters, its last page, its htmx refresh, one
contact's page and the reports page are each fetched REQUESTS times through the Flask test
client (signed in as a head of service, after one untimed warm-up), and the SQL statements
of one fetch are counted (a before_cursor_execute listener on the engine). The seeding is
incremental (10,000, then 40,000 more, then 150,000 more), so the whole run stays near ten
minutes on a 2-core machine.

`python -m bench.growth` (make bench-growth) prints the figures and merges them into
bench/results.json. BENCH_GROWTH_SIZES (e.g. "10000,50000") and BENCH_GROWTH_REQUESTS
shorten a trial run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import holidays
import psycopg
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app import create_app, crypto
from app.contacts import search
from app.contacts.events import UPDATES
from app.council import load
from app.extensions import db
from bench import results
from tests.databases import find_postgres
from tests.helpers import TEST_KEY, migrate, settings_for
from tests.staff_helpers import make_staff, signed_in_client

SIZES = tuple(int(n) for n in os.environ.get("BENCH_GROWTH_SIZES", "10000,50000,200000").split(","))
REQUESTS = int(os.environ.get("BENCH_GROWTH_REQUESTS", "20"))
MOST_SECONDS = 40.0  # at most this long on one page at one size (fewer requests if slower)
PART = "growth"
TRACKER_BUDGET_MS = 150
REPORT_BUDGET_S = 1.0
SQL_BUDGET = 5
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_ALPHABET_SIZE = len(REFERENCE_ALPHABET)
KINDS = (("not_kept", 50), ("kept_well", 25), ("praise", 25))
CHANNELS = (("app", 70), ("phone", 15), ("email", 10), ("in_person", 5))
BANDS = (("under_5", 10), ("5_to_9", 30), ("10_plus", 60))
HELPERS = (("nobody", 60), ("carer", 20), ("social_worker", 8), ("iro", 4), ("advocate", 8))
PRAISED_ROLES = (
    ("social_worker", 50),
    ("carer", 30),
    ("iro", 8),
    ("teacher", 8),
    ("someone_else", 4),
)
THEMES = ("Contact with family", "Placement", "Social worker", "School", "Money", "Activities")
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


# Search finds this contact by its phone number, as written with spaces and +44.
SEARCHED = 4321


def phone_of(contact_id: int) -> str:
    """Each seeded child who left a number has their own, in the form staff might type it."""
    digits = f"{contact_id:09d}"
    return f"%2B44+7{digits[:3]}+{digits[3:]}"


def size_name(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


@dataclass
class Ciphers:
    """Real ciphertexts under the app's key, made once per variant and reused."""

    messages: list[bytes]
    praise: list[bytes]
    reaches: list[bytes]
    words: list[bytes]
    updates: list[bytes]
    outcomes: list[bytes]
    feedback: list[bytes]

    @classmethod
    def make(cls) -> Ciphers:
        crypto.configure([TEST_KEY])

        def each(values: list[Any]) -> list[bytes]:
            return [crypto.encrypt(json.dumps(v, ensure_ascii=False)) for v in values]

        said = ["My social worker does not call me back. " * n + "Please help." for n in (1, 3, 8)]
        return cls(
            messages=each([{"words": w, "praise_name": "", "praise_role": ""} for w in said]),
            praise=each(
                [
                    {"words": "She listened to me.", "praise_name": n, "praise_role": "carer"}
                    for n in ("Sam", "Priya", "Jo")
                ]
            ),
            reaches=each(
                [
                    {"name": "Jo", "how": "text", "phone": "07700 900 982"},
                    {"name": "Alex", "how": "email", "email": "alex@example.org"},
                    {"how": "through_carer", "language": "English", "advocate": "not_sure"},
                ]
            ),
            words=each(["apple tiger river", "cloud drum maple", "lemon ship violet"]),
            updates=each(["We have asked your social worker to ring you on Friday."]),
            outcomes=each(["Your social worker now rings every Tuesday after school."]),
            feedback=each(["They listened.", "It took too long."]),
        )


@dataclass
class Seeder:
    """Makes contacts with their events and writes them with COPY."""

    dsn: str
    managers: list[tuple[int, str]]  # (id, name) of senior managers
    now: dt.datetime
    # Seeded, so every run makes the same contacts; nothing here is a secret.
    rng: random.Random = field(default_factory=lambda: random.Random(15))  # noqa: S311
    references: set[str] = field(default_factory=set)
    next_id: int = 1
    ciphers: Ciphers = field(default_factory=Ciphers.make)

    def __post_init__(self) -> None:
        council = load()
        self.clock = council.response.clock
        self.zone = council.response.zone
        self.promise_keys = [p.key for p in council.promises]
        start = (self.now - 2 * 365 * DAY).year
        self.bank_holidays = holidays.country_holidays(
            "GB", subdiv="ENG", years=range(start, self.now.year + 1)
        )

    def _reference(self) -> str:
        while True:
            ref = "".join(self.rng.choices(REFERENCE_ALPHABET, k=REFERENCE_LENGTH))
            if ref not in self.references:
                self.references.add(ref)
                return ref

    def _received(self) -> dt.datetime:
        """A moment in the last two years: weekdays mostly, after school most of all."""
        rng = self.rng
        while True:
            day = (self.now - rng.uniform(0, 730) * DAY).astimezone(self.zone).date()
            chance = 1.0
            if day.weekday() >= 5:
                chance = 0.35
            if day in self.bank_holidays:
                chance = 0.25
            if rng.random() < chance:
                break
        hour = rng.choices(
            range(24), [1] * 7 + [3, 4, 4, 4, 4, 5, 5, 5, 8, 9, 9, 8, 7, 6, 4, 2, 1]
        )[0]
        moment = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=self.zone)
        moment = moment.astimezone(dt.UTC)
        return min(moment, self.now - MINUTE)

    def contacts(
        self, count: int
    ) -> Iterator[
        tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]
    ]:
        """(contact row, its promise rows, its event rows, its search rows) for `count` new
        contacts."""
        rng = self.rng
        c = self.ciphers
        for _ in range(count):
            cid = self.next_id
            self.next_id += 1
            received = self._received()
            due = self.clock.response_due(received)
            kind = pick(rng, KINDS)
            channel = pick(rng, CHANNELS)
            urgent = rng.random() < 0.02
            message = rng.choice(c.praise if kind == "praise" else c.messages)
            reach = None if rng.random() < 0.3 else rng.choice(c.reaches)
            events: list[tuple[str, dt.datetime, str, dict[str, Any], bytes | None]] = [
                ("sent", received, "child" if channel == "app" else "cr@council.example", {}, None)
            ]
            if urgent:
                events.append(("child_not_safe", received, "child", {}, None))
            age = self.now - received
            # Older contacts are nearly all finished; the last weeks' still move through.
            finished = rng.random() < (0.97 if age > 21 * DAY else min(0.9, age / (21 * DAY)))
            progress = 6 if finished else rng.choice((1, 2, 2, 3, 3, 4, 5))
            at = received
            stage = 1
            allocated = None
            first_contact = None

            def later(span: dt.timedelta) -> dt.datetime:
                nonlocal at
                at = min(at + rng.uniform(0.05, 1.0) * span, self.now - MINUTE)
                return at

            if progress >= 2:
                events.append(("read", later(20 * HOUR), "cr@council.example", {}, None))
                stage = 2
            if progress >= 3 and (rng.random() < 0.7 or progress in (3, 5)):
                manager_id, manager = rng.choice(self.managers)
                details = {"staff_id": manager_id, "name": manager, "role": "senior_manager"}
                events.append(("allocated", later(12 * HOUR), "hos@council.example", details, None))
                allocated = manager_id
                stage = 3
            reached = progress >= 4 and rng.random() < 0.96
            if progress >= 4 and (not reached or rng.random() < 0.2):
                events.append(("contact_failed", later(10 * HOUR), "sm@council.example", {}, None))
            if reached:
                # Most children are reached in time; some after the deadline.
                span = (due - at) if rng.random() < 0.85 and due > at else 4 * DAY
                first_contact = later(span)
                events.append(("spoke_to_child", first_contact, "sm@council.example", {}, None))
                stage = 4
            if progress >= 5 and reached and rng.random() < 0.6:
                events.append(
                    ("update_for_child", later(5 * DAY), "sm@council.example", {}, c.updates[0])
                )
                stage = 5
            proposed = None
            if progress in (4, 5) and reached and rng.random() < 0.2:
                proposed = later(2 * DAY)
                events.append(("close_proposed", proposed, "sm@council.example", {}, None))
            if progress == 6:
                details = {"themes": rng.sample(THEMES, rng.randint(0, 2))}
                if not reached:
                    details["reason"] = "could_not_reach"
                events.append(
                    ("closed", later(20 * DAY), "cr@council.example", details, c.outcomes[0])
                )
                stage = 6
                if rng.random() < 0.6:
                    events.append(("feedback_asked", later(DAY), "cr@council.example", {}, None))
                    if rng.random() < 0.55:
                        answers = {
                            q: rng.choice(("yes", "yes", "not_sure", "no"))
                            for q in ("listened", "heard", "happy")
                        }
                        text = rng.choice(c.feedback) if rng.random() < 0.3 else None
                        events.append(("feedback_given", later(7 * DAY), "child", answers, text))
            urgent_rank = 0 if urgent else 2
            rank = 4 + urgent_rank if stage == 6 else urgent_rank + (first_contact is not None)
            updates = [when for kind_, when, *_ in events if kind_ in UPDATES]
            contact = (
                cid,
                self._reference(),
                uuid.UUID(int=rng.getrandbits(128)).hex,
                kind,
                channel,
                pick(rng, BANDS) if channel == "app" else None,
                pick(rng, HELPERS),
                urgent,
                kind == "praise" and rng.random() < 0.3,
                message,
                reach,
                received,
                due,
                rng.choice(c.words),
                stage,
                allocated,
                first_contact,
                rank,
                proposed if stage != 6 else None,
                max(updates, default=None),
                # The report's facts, as contacts.record and the intake write them.
                None
                if first_contact is None
                else int(self.clock.working_time_between(received, first_contact).total_seconds())
                // 60,
                pick(rng, PRAISED_ROLES) if kind == "praise" else None,
            )
            chosen = rng.sample(self.promise_keys, rng.choice((1, 1, 1, 2, 2, 3)))
            if rng.random() < 0.1:
                chosen.append("other")
            promises = [(cid, key, n) for n, key in enumerate(chosen)]
            rows = [
                (cid, kind_, when, actor, json.dumps(details), text)
                for kind_, when, actor, details, text in events
            ]
            found = []
            if reach is not None:
                # The search hashes as the rules write them, for a name and number of its own.
                own = {"name": f"Child {cid}", "phone": f"07{cid:09d}"}
                found = [(cid, f, d) for f, d in search.hashed(own)]
            yield contact, promises, rows, found

    def seed(self, count: int) -> tuple[int, float]:
        """Add `count` contacts; (events written, seconds)."""
        started = time.perf_counter()
        written = 0
        first_id = self.next_id
        with psycopg.connect(self.dsn) as connection, connection.cursor() as cursor:
            contact_rows = []
            promise_rows = []
            event_rows = []
            search_rows = []
            for contact, promises, rows, found in self.contacts(count):
                contact_rows.append(contact)
                promise_rows += promises
                event_rows += rows
                search_rows += found
            with cursor.copy(
                "COPY contact (id, reference, submission_key, kind, channel, age_band, helper, "
                "urgent, praise_may_pass_on, message, reach, received_at, due_at, "
                "memorable_words, stage, allocated_to_id, first_contact_at, tracker_rank, "
                "close_proposed_at, last_update_at, first_contact_minutes, praise_role) "
                "FROM STDIN"
            ) as copy:
                for row in contact_rows:
                    copy.write_row(row)
            with cursor.copy(
                "COPY contact_promise (contact_id, promise_key, position) FROM STDIN"
            ) as copy:
                for row in promise_rows:
                    copy.write_row(row)
            with cursor.copy(
                "COPY contact_event (contact_id, kind, at, actor, details, text) FROM STDIN"
            ) as copy:
                for row in event_rows:
                    copy.write_row(row)
            with cursor.copy("COPY contact_search (contact_id, field, digest) FROM STDIN") as copy:
                for row in search_rows:
                    copy.write_row(row)
            # The themes of each closing, one row each, as contacts.record writes them.
            cursor.execute(
                "INSERT INTO contact_theme (event_id, theme, contact_id, closed_at) "
                "SELECT e.id, t.value, e.contact_id, e.at FROM contact_event e CROSS JOIN LATERAL "
                "(SELECT DISTINCT value FROM json_array_elements_text(e.details -> 'themes')) t "
                "WHERE e.kind = 'closed' AND e.contact_id >= %s",
                (first_id,),
            )
            # Promise awareness: an IRO's answer at about one review for every 20 contacts.
            with cursor.copy(
                "COPY promise_awareness (reviewed_on, age_band, shared, recorded_at) FROM STDIN"
            ) as copy:
                for _ in range(count // 20):
                    day = (self.now - self.rng.uniform(0, 730) * DAY).date()
                    shared = self.rng.random() < 0.82
                    copy.write_row((day, pick(self.rng, BANDS), shared, self.now))
            written = len(event_rows)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('contact', 'id'), "
                "(SELECT max(id) FROM contact))"
            )
            connection.commit()
        with psycopg.connect(self.dsn, autocommit=True) as connection:
            connection.execute(
                "VACUUM ANALYZE contact, contact_event, contact_promise, contact_search, "
                "promise_awareness, contact_theme"
            )
        return written, time.perf_counter() - started


@dataclass
class SqlCounter:
    """SQL statements run through the app's engine while `counting` is on, and how long the
    slowest took (for the next engineer: which query to EXPLAIN)."""

    statements: int = 0
    counting: bool = False
    started: float = 0.0
    timed: list[tuple[float, str]] = field(default_factory=list)

    def before(self, *args: Any) -> None:
        if self.counting:
            self.statements += 1
            self.started = time.perf_counter()

    def after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.counting:
            self.timed.append((time.perf_counter() - self.started, statement))

    def slowest(self, how_many: int = 3) -> list[dict[str, Any]]:
        ordered = sorted(self.timed, key=lambda pair: -pair[0])[:how_many]
        return [
            {"ms": round(seconds * 1000, 1), "sql": " ".join(sql.split())[:300]}
            for seconds, sql in ordered
        ]


def measure(
    client: FlaskClient, counter: SqlCounter, path: str, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """One untimed warm-up that counts the SQL statements, then up to REQUESTS timed fetches."""
    counter.statements, counter.timed, counter.counting = 0, [], True
    response = client.get(path, headers=headers or {})
    counter.counting = False
    assert response.status_code == 200, f"{path}: {response.status_code}"
    statements = counter.statements
    slowest = counter.slowest()
    times: list[float] = []
    give_up = time.monotonic() + MOST_SECONDS
    while len(times) < REQUESTS and (len(times) < 3 or time.monotonic() < give_up):
        started = time.perf_counter()
        response = client.get(path, headers=headers or {})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, f"{path}: {response.status_code}"
    return {
        "n": len(times),
        "statements": statements,
        "slowest_sql": slowest,
        **results.summary_ms(times),
    }


def pages(contact_id: int) -> list[tuple[str, str, dict[str, str], str]]:
    """(figure name, path, headers, what it is)."""
    return [
        ("tracker", "/staff/tracker", {}, "tracker, first page"),
        ("tracker_urgent", "/staff/tracker?urgent=1", {}, "tracker ?urgent=1"),
        ("tracker_late", "/staff/tracker?late=1", {}, "tracker ?late=1"),
        ("tracker_mine", "/staff/tracker?mine=1", {}, "tracker ?mine=1 (a senior manager's own)"),
        ("tracker_praise", "/staff/tracker?kind=praise", {}, "tracker ?kind=praise"),
        ("tracker_stage", "/staff/tracker?stage=3", {}, "tracker ?stage=3 (with a named person)"),
        ("tracker_last_page", "/staff/tracker?last=1", {}, "tracker, last page (keyset)"),
        ("tracker_proposed", "/staff/tracker?proposed=1", {}, "tracker ?proposed=1"),
        ("tracker_quiet", "/staff/tracker?quiet=1", {}, "tracker ?quiet=1 (no update for N days)"),
        (
            "tracker_search",
            f"/staff/tracker?q={phone_of(SEARCHED)}",
            {},
            "tracker, search by phone",
        ),
        (
            "tracker_htmx",
            "/staff/tracker",
            {"HX-Request": "true", "Auto-Refresh": "true"},
            "tracker's htmx refresh (its table alone)",
        ),
        ("contact_page", f"/staff/contacts/{contact_id}", {}, "one contact's page"),
        ("report", "/staff/reports", {}, "reports page"),
    ]


def figures_at(size: int, measured: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    tag = size_name(size)
    out = []
    for name, m in measured.items():
        extra = {
            "what": m["what"],
            "p50_ms": m["p50"],
            "p99_ms": m["p99"],
            "n": m["n"],
            "sql_statements": m["statements"],
            "slowest_sql": m["slowest_sql"],
            "contacts": size,
        }
        if name == "report":
            out.append(
                results.figure(
                    f"report_s_{tag}",
                    round(m["p95"] / 1000, 3),
                    "s (p95)",
                    REPORT_BUDGET_S,
                    **extra,
                )
            )
        elif name == "contact_page":
            out.append(results.figure(f"contact_page_p95_ms_{tag}", m["p95"], "ms", None, **extra))
        else:
            figure_name = f"{name}_p95_ms_{tag}"
            out.append(results.figure(figure_name, m["p95"], "ms", TRACKER_BUDGET_MS, **extra))
    tracker = measured["tracker"]
    out.append(
        results.figure(
            f"tracker_sql_statements_{tag}",
            tracker["statements"],
            "statements",
            SQL_BUDGET,
            what="SQL statements for one tracker page (25 rows)",
            by_page={k: v["statements"] for k, v in measured.items()},
        )
    )
    return out


def growth_ratios(by_size: dict[int, dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """How the tracker's and report's times grow from the smallest to the largest size."""
    small, large = min(by_size), max(by_size)
    if small == large:
        return []
    factor = large / small
    tag = f"{size_name(large)}_vs_{size_name(small)}"
    tracker = results.ratio(by_size[large]["tracker"]["p50"], by_size[small]["tracker"]["p50"])
    report = results.ratio(by_size[large]["report"]["p50"], by_size[small]["report"]["p50"])
    return [
        results.figure(
            f"tracker_growth_{tag}",
            tracker,
            "x (p50)",
            1.5,
            what=f"tracker first page p50 at {large:,} over {small:,}: must not grow "
            "(1.5 allows for noise)",
        ),
        results.figure(
            f"report_growth_{tag}",
            report,
            "x (p50)",
            factor,
            what=f"report p50 at {large:,} over {small:,}: at most linear ({factor:g}x contacts)",
        ),
    ]


def make_app(url: str) -> tuple[Flask, SqlCounter]:
    app = create_app(settings_for(url, ENCRYPTION_KEYS=[TEST_KEY]))
    counter = SqlCounter()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", counter.before)
        event.listen(db.engine, "after_cursor_execute", counter.after)
    return app, counter


def run(url: str) -> list[dict[str, Any]]:
    app, counter = make_app(url)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with app.app_context():
        client, head = signed_in_client(app, "head_of_service", "Bench Head")
        managers = [make_staff("senior_manager", f"Manager {n}") for n in range(12)]
        # The head of service is given some too, so ?mine=1 has rows to show.
        manager_ids = [(m.id, m.name) for m in [*managers, head]]
        seeder = Seeder(dsn, manager_ids, dt.datetime.now(dt.UTC))
        figures: list[dict[str, Any]] = []
        by_size: dict[int, dict[str, dict[str, Any]]] = {}
        seeded = 0
        for size in SIZES:
            added = size - seeded
            events, seconds = seeder.seed(added)
            seeded = size
            print(
                f"{size:,} contacts: {added:,} added with {events:,} events in {seconds:.0f} s",
                flush=True,
            )
            with psycopg.connect(dsn) as connection:
                total_events = connection.execute("SELECT count(*) FROM contact_event").fetchone()
                busy = connection.execute(
                    "SELECT contact_id FROM contact_event GROUP BY contact_id "
                    "ORDER BY count(*) DESC, contact_id LIMIT 1"
                ).fetchone()
            assert busy is not None and total_events is not None
            measured = {}
            for name, path, headers, what in pages(busy[0]):
                m = measure(client, counter, path, headers)
                m["what"] = what
                measured[name] = m
                print(
                    f"  {what:<44} p50 {m['p50']:>8.1f} ms  p95 {m['p95']:>8.1f} ms  "
                    f"{m['statements']:>3} SQL  (n={m['n']})",
                    flush=True,
                )
            by_size[size] = measured
            figures += figures_at(size, measured)
            figures.append(
                results.figure(
                    f"seed_s_{size_name(size)}",
                    round(seconds, 1),
                    "s",
                    None,
                    what=f"COPY of the contacts added to reach {size:,} "
                    f"({total_events[0]:,} events in all)",
                    events=total_events[0],
                )
            )
        figures += growth_ratios(by_size)
        db.session.remove()
        db.engine.dispose()
    return figures


def main() -> None:
    started = time.perf_counter()
    with find_postgres() as postgres:
        if postgres is None:
            raise SystemExit("no PostgreSQL to measure on")
        with postgres.fresh_database() as url:
            migrate(url)
            figures = run(url)
    results.save(figures, PART)
    print(f"growth: {len(figures)} figures in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
