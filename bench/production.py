"""The app as production runs it, for the benchmarks: gunicorn (2 sync workers, gunicorn.conf.py)
with production settings, a fresh PostgreSQL database, Redis for the rate limits, and beside it
the bare Flask yardstick (bench/bare.py) served the same way.

As tests/test_two_machines.py does, clients talk to gunicorn over loopback as the TLS proxy
would (PROXY_COUNT=1): each child's address in X-Forwarded-For and `X-Forwarded-Proto: https`,
so production's Secure cookies and per-address limits work as they do behind nginx. The
limits are raised (LIMIT_SEND, LIMIT_STATUS_LOOKUP) so the load measures the app, not them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

import redis

from tests.databases import find_postgres
from tests.helpers import TEST_KEY, migrate

ROOT = Path(__file__).resolve().parent.parent
LOCAL_REDIS = "redis://127.0.0.1:6379/0"
STARTUP = 120.0  # seconds a server may take to answer on a loaded machine
# What every client sends, as the TLS proxy in front of gunicorn would pass it on.
PROXY_HEADERS = {"Host": "promise.council.example", "X-Forwarded-Proto": "https"}
# Phones accept compressed pages; the app compresses HTML (flask-compress) and serves the
# precompressed static files (WhiteNoise, `make static`).
BROWSER_HEADERS = {**PROXY_HEADERS, "Accept-Encoding": "gzip, deflate, br"}
UNLIMITED = "1000000 per hour"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def said(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def cpu_seconds(self) -> float:
        """Processor time gunicorn has used so far: the master's, its live workers', and the
        workers it has reaped (replaced after max_requests), from /proc (proc(5), stat fields
        14-17). The difference over a run is the server's own cost, apart from the load
        generator's and PostgreSQL's on the same two cores."""
        tick = os.sysconf("SC_CLK_TCK")

        def stat(pid: int) -> list[str]:
            raw = Path(f"/proc/{pid}/stat").read_text()
            return raw[raw.rindex(")") + 2 :].split()  # the fields after "(name)"

        master = stat(self.process.pid)
        ticks = sum(int(value) for value in master[11:15])  # utime stime cutime cstime
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split():
            try:
                ticks += sum(int(value) for value in stat(int(pid))[11:13])
            except FileNotFoundError:  # a worker replaced just now: counted in cutime
                continue
        return ticks / tick


@dataclass
class Site:
    app: Server
    bare: Server | None
    database_url: str  # SQLAlchemy URL of this run's fresh database
    environ: dict[str, str]
    workdir: Path

    @property
    def dsn(self) -> str:
        return self.database_url.replace("postgresql+psycopg://", "postgresql://")


def _answers(url: str) -> bool:
    with redis.Redis.from_url(url, socket_connect_timeout=3) as client:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """The machine's Redis if it answers, else a throwaway redis-server."""
    if _answers(LOCAL_REDIS):
        yield LOCAL_REDIS
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit(f"no Redis at {LOCAL_REDIS} and no redis-server: make system-packages")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        cwd=workdir,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        give_up = time.monotonic() + STARTUP
        while not _answers(url):
            if time.monotonic() > give_up or process.poll() is not None:
                raise SystemExit("redis-server did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait()


def _start(name: str, target: str, environ: dict[str, str], workdir: Path) -> Server:
    port = free_port()
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", target],
            cwd=ROOT,
            env={**environ, "BIND": f"127.0.0.1:{port}"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stopping it stops its workers
        )
    return Server(name, port, process, log)


def _wait_until_up(server: Server, path: str) -> None:
    give_up = time.monotonic() + STARTUP
    while time.monotonic() < give_up:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} stopped at start:\n{server.said()}")
        try:
            connection = HTTPConnection("127.0.0.1", server.port, timeout=5)
            connection.request("GET", path, headers=PROXY_HEADERS)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"{server.name} did not answer {path} in {STARTUP} s:\n{server.said()}")


def stop(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


@contextmanager
def production_site(workdir: Path, *, bare: bool = True) -> Iterator[Site]:
    """A migrated fresh database, the app and (with `bare`) the yardstick, up and answering."""
    prefix = f"bench-{secrets.token_hex(4)}"
    with find_postgres() as postgres:
        if postgres is None:
            raise SystemExit("no PostgreSQL to measure on (TEST_DATABASE_URL, or the local one)")
        with redis_server(workdir) as redis_url, postgres.fresh_database() as url:
            migrate(url)
            environ = {
                **{k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"},
                "OUR_PROMISE_ENV": "production",
                "SECRET_KEY": secrets.token_hex(32),
                "ENCRYPTION_KEYS": TEST_KEY,
                "DATABASE_URL": url,
                "RATELIMIT_STORAGE_URI": redis_url,
                "RATELIMIT_KEY_PREFIX": prefix,
                "BASE_URL": "https://promise.council.example",
                "MAIL_TRANSPORT": "log",
                "PROXY_COUNT": "1",
                "WEB_CONCURRENCY": "2",
                "LIMIT_SEND": UNLIMITED,
                "LIMIT_STATUS_LOOKUP": UNLIMITED,
            }
            servers = [_start("app", "app:create_app()", environ, workdir)]
            if bare:
                servers.append(_start("bare", "bench.bare:app", environ, workdir))
            try:
                _wait_until_up(servers[0], "/healthz")
                if bare:
                    _wait_until_up(servers[1], "/")
                yield Site(servers[0], servers[1] if bare else None, url, environ, workdir)
            finally:
                for server in servers:
                    stop(server)
                with redis.Redis.from_url(redis_url) as store:  # this run's keys, no others
                    keys = list(store.scan_iter(match=f"*{prefix}*"))
                    if keys:
                        store.delete(*keys)
