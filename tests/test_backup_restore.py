"""A backup restores: scripts/backup.sh and scripts/restore.sh, on the real PostgreSQL.

A backup nobody has restored is a hope, not a backup; docs/deploy.md asks councils to run this
same restore into a spare database every month.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from app import create_app
from app.extensions import db
from app.models import Contact
from tests import conftest
from tests.helpers import close, make_contact, migrate, record, settings_for
from tests.staff_helpers import make_staff
from tests.test_migrations import script_directory

SCRIPTS = Path(__file__).parent.parent / "scripts"


def counts() -> dict[str, int]:
    tables = inspect(db.engine).get_table_names()
    return {
        t: db.session.execute(select(func.count()).select_from(db.table(t))).scalar_one()
        for t in tables
    }


def run(script: str, url: str, *args: str) -> str:
    result = subprocess.run(
        [SCRIPTS / script, *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_backup_restores_into_an_empty_database_with_every_row_readable(
    tmp_path: Path,
) -> None:
    if conftest.POSTGRES is None:
        pytest.skip("no PostgreSQL on this machine (see the notice in the report)")
    with conftest.POSTGRES.fresh_database() as live, conftest.POSTGRES.fresh_database() as spare:
        migrate(live)
        app = create_app(settings_for(live))
        with app.app_context():
            first = make_contact(words="Please ring me after school. 😀 مرحبا")
            second = make_contact("praise", words="Sam was great.")
            make_staff("customer_relations")
            record(first, "read", role="customer_relations", now=first.received_at)
            close(second, second.received_at)
            db.session.commit()
            before = counts()
            words = {c.reference: c.message for c in db.session.scalars(select(Contact))}
            db.session.remove()
            db.engine.dispose()

        file = tmp_path / "backup.dump"
        assert run("backup.sh", live, str(file)).strip() == str(file)
        assert file.stat().st_size > 0
        run("restore.sh", spare, str(file))

        restored = create_app(settings_for(spare))
        with restored.app_context():
            assert counts() == before
            assert before["contact"] == 2 and before["contact_event"] >= 4
            assert {c.reference: c.message for c in db.session.scalars(select(Contact))} == words
            current = db.session.execute(db.text("SELECT version_num FROM alembic_version"))
            assert current.scalar_one() == script_directory(restored).get_current_head()
            db.session.remove()
            db.engine.dispose()
