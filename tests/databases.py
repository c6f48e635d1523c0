"""Which databases the integration tests run on.

SQLite always. PostgreSQL from TEST_DATABASE_URL if set, else the local server at
127.0.0.1:5432 (database `test`) if it answers, else a throwaway cluster if `initdb` exists.
Without any of them the suite runs on SQLite alone and says so; under CI that is an error,
because CI must run both.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

LOCAL_SERVER = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3"


@dataclass
class Postgres:
    admin_dsn: str  # libpq connection string to a database we may create databases from
    where: str  # said in the test report

    def url(self, database: str) -> str:
        params = psycopg.conninfo.conninfo_to_dict(self.admin_dsn)
        params["dbname"] = database
        params.pop("connect_timeout", None)
        host = params.pop("host", "")
        port = params.pop("port", "5432")
        user = params.pop("user", "postgres")
        if str(host).startswith("/"):
            return f"postgresql+psycopg://{user}@/{database}?host={host}&port={port}"
        return f"postgresql+psycopg://{user}@{host}:{port}/{database}"

    @contextmanager
    def fresh_database(self) -> Iterator[str]:
        name = f"ourpromise_test_{secrets.token_hex(4)}"
        with psycopg.connect(self.admin_dsn, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield self.url(name)
        finally:
            with psycopg.connect(self.admin_dsn, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _answers(dsn: str) -> bool:
    try:
        with psycopg.connect(dsn):
            return True
    except psycopg.OperationalError:
        return False


@contextmanager
def _throwaway_cluster(initdb: str) -> Iterator[Postgres]:
    """A private PostgreSQL on a unix socket, as an unprivileged user when we are root."""
    bindir = os.path.dirname(initdb)
    workdir = tempfile.mkdtemp(prefix="ourpromise-pg-")
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if run_as:
        shutil.chown(workdir, user="postgres")
    data = os.path.join(workdir, "data")
    port = "5439"
    subprocess.run(
        [*run_as, initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *run_as,
            os.path.join(bindir, "pg_ctl"),
            "-D",
            data,
            "-w",
            "-l",
            os.path.join(workdir, "log"),
            "-o",
            f"-k {workdir} -p {port} -c listen_addresses='' -c fsync=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield Postgres(
            f"host={workdir} port={port} dbname=postgres user=postgres",
            "a throwaway cluster made with initdb",
        )
    finally:
        subprocess.run(
            [*run_as, os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def find_postgres() -> Iterator[Postgres | None]:
    from_env = os.environ.get("TEST_DATABASE_URL")
    if from_env:
        dsn = from_env.replace("postgresql+psycopg://", "postgresql://")
        yield Postgres(dsn, "TEST_DATABASE_URL")
        return
    if _answers(LOCAL_SERVER):
        yield Postgres(LOCAL_SERVER, "the local server at 127.0.0.1:5432")
        return
    initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if initdbs:
        with _throwaway_cluster(initdbs[-1]) as cluster:
            yield cluster
        return
    yield None
