"""The final send: how long contacts.submit takes, one child after another, on a database.

DESIGN.md's budget is 300 sends a second with p99 under 100 ms on PostgreSQL, through the
server. This measures the rule alone (the part the server cannot make faster), on the
database in TEST_DATABASE_URL or the local PostgreSQL, in a fresh database it drops after.
Run with `make bench`.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import uuid

from app import contacts, create_app
from app.council import load
from app.extensions import db
from tests.databases import find_postgres
from tests.helpers import migrate, settings_for

SENDS = 300


def main() -> None:
    council = load()
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
                        clock=council.response.clock,
                        known_promises=council.promises_by_key,
                    )
                    db.session.commit()
                    times.append(time.perf_counter() - started)
                db.session.remove()
                db.engine.dispose()
    times.sort()
    print(
        f"{SENDS} sends on PostgreSQL ({postgres.where}): "
        f"median {statistics.median(times) * 1000:.1f} ms, "
        f"p99 {times[int(len(times) * 0.99) - 1] * 1000:.1f} ms, "
        f"{len(times) / sum(times):.0f} a second from one connection"
    )


if __name__ == "__main__":
    main()
