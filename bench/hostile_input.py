"""The hostile-input run: how many requests the corpus fires and how many get a 5xx.

The same corpus and visitors as tests/test_hostile_input.py (tests/hostile.py), on SQLite and
on PostgreSQL (TEST_DATABASE_URL, the local server, or none), each in a fresh database. The
test asserts there are none; this prints the figures for the issue note, and what caused any
5xx it found. `make bench` runs it (or `python -m bench.hostile_input`, in the venv).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from app import create_app
from app.extensions import db
from tests.conftest import HouseRulesClient
from tests.databases import find_postgres
from tests.helpers import migrate, settings_for
from tests.hostile import Tally, fire


def run(url: str) -> Tally:
    migrate(url)
    app = create_app(settings_for(url))
    app.test_client_class = HouseRulesClient
    with app.app_context():
        try:
            return fire(app)
        finally:
            db.session.remove()
            db.engine.dispose()


def report(name: str, url: str) -> None:
    started = time.perf_counter()
    tally = run(url)
    print(f"{name}: {tally.summary()} ({time.perf_counter() - started:.0f} s)")
    for cause, count in tally.causes.most_common():
        print(f"  {count:4d} x {cause}")
    for failure in tally.failures[:20]:
        print(f"  {failure[:160]}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        report("SQLite", f"sqlite:///{Path(folder) / 'hostile.sqlite3'}")
    with find_postgres() as postgres:
        if postgres is None:
            print("PostgreSQL: none found, not run")
            return
        with postgres.fresh_database() as url:
            report(f"PostgreSQL ({postgres.where})", url)


if __name__ == "__main__":
    main()
