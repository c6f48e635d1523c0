"""The final send: how long contacts.submit takes, one child after another, on a database.

Issue 15's budget is 300 sends a second with p99 under 100 ms on PostgreSQL, through the
server (bench/server.py measures that). This measures the rule alone (the part the server
cannot make faster), on the database in TEST_DATABASE_URL or the local PostgreSQL, in a fresh
database it drops after. `make bench-send` merges its figures into bench/results.json.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import uuid

from app import contacts, create_app
from app.extensions import db
from bench import results
from tests.databases import find_postgres
from tests.helpers import OFFICE, migrate, settings_for

SENDS = 300
PART = "send"


def main() -> None:
    with find_postgres() as postgres:
        if postgres is None:
            raise SystemExit("no PostgreSQL to measure on")
        with postgres.fresh_database() as url:
            migrate(url)
            app = create_app(settings_for(url))
            with app.app_context():
                times = []
                for n in range(SENDS):
                    answers = contacts.Answers(
                        kind="not_kept",
                        promises=("listen", "other"),
                        helper="nobody",
                        words=f"Message {n}: nobody rings me back. " * 20,
                        reach={"name": "Jo", "how": "text", "phone": "07700 900 982"},
                    )
                    started = time.perf_counter()
                    contacts.submit(
                        db.session(),
                        answers,
                        submission_key=uuid.uuid4().hex,
                        access_secret=contacts.new_access_secret(),
                        memorable_words="apple tiger river",
                        now=dt.datetime.now(dt.UTC),
                        office=OFFICE,
                    )
                    db.session.commit()
                    times.append(time.perf_counter() - started)
                db.session.remove()
                db.engine.dispose()
    latency = results.summary_ms(times)
    per_second = round(len(times) / sum(times), 1)
    print(
        f"{SENDS} sends on PostgreSQL ({postgres.where}): "
        f"median {statistics.median(times) * 1000:.1f} ms, p99 {latency['p99']} ms, "
        f"{per_second} a second from one connection"
    )
    results.save(
        [
            results.figure(
                "send_rule_per_s",
                per_second,
                "sends/s",
                None,
                what=f"contacts.submit and commit alone, one connection, {SENDS} sends",
                p50_ms=latency["p50"],
                p99_ms=latency["p99"],
            ),
            results.figure(
                "send_rule_p99_ms",
                latency["p99"],
                "ms",
                None,
                what="contacts.submit and commit alone: p99",
            ),
        ],
        PART,
    )


if __name__ == "__main__":
    main()
