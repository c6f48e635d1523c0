"""More than one machine, proved here: two servers started by `make serve`, one PostgreSQL,
one Redis, a real SMTP server, and two outbox workers.

Each server is what a machine runs: gunicorn (two workers) with production settings, behind
a TLS proxy (PROXY_COUNT=1). The test talks to them as that proxy does, over plain HTTP on
the loopback with the child's address in X-Forwarded-For and `X-Forwarded-Proto: https`, and
keeps each phone's cookies as its browser would. That is the realistic way: production's
Secure, __Host- cookies and its per-child limits only work through ProxyFix, so this is the
path production takes; a proxy of our own here would only test itself, and terminating TLS
in it would add certificates and nothing the app sees differently.

Redis is the machine's own at 127.0.0.1:6379 (TOOLCHAIN.md), else a throwaway redis-server;
this run's keys carry their own prefix and only they are deleted after. Under CI a missing
Redis fails, as a missing PostgreSQL does (tests/conftest.py); elsewhere the module is
skipped and says why.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup

from app.outbox import message_id
from tests import conftest
from tests.helpers import TEST_KEY, migrate
from tests.journey import STEPS
from tests.test_outbox import free_port

ROOT = Path(__file__).parent.parent
LOCAL_REDIS = "redis://127.0.0.1:6379/0"
STARTUP = 120.0  # seconds a server may take to answer /healthz on a loaded machine
PATIENCE = 60.0  # seconds for anything else to settle; the test fails rather than hangs
PHONES_UNDER_LOAD = 24


@contextmanager
def _redis() -> Iterator[str]:
    """The machine's Redis if it answers, else a throwaway one if redis-server is installed
    (`make system-packages` installs it), else a skip; under CI, a failure."""
    if _answers(LOCAL_REDIS):
        yield LOCAL_REDIS
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test the app on Redis: none answers at {LOCAL_REDIS}")
        pytest.skip(f"no Redis at {LOCAL_REDIS}, and no redis-server to start one")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        give_up = time.monotonic() + PATIENCE
        while not _answers(url):
            assert time.monotonic() < give_up and server.poll() is None, (
                "redis-server did not start"
            )
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait()


def _answers(url: str) -> bool:
    with redis.Redis.from_url(url, socket_connect_timeout=3) as client:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False


class Inbox:
    """The SMTP server's side: every message as it arrived, from any worker."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


@dataclass
class Machine:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def said(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@dataclass
class Site:
    machines: list[Machine]
    environ: dict[str, str]
    database: str  # libpq connection string
    inbox: Inbox
    tmp: Path


def _stop(process: subprocess.Popen[bytes], how: signal.Signals = signal.SIGTERM) -> None:
    """Stop a process and everything it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, how)
    try:
        process.wait(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _start(args: list[str], environ: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_until_up(machine: Machine) -> None:
    give_up = time.monotonic() + STARTUP
    while time.monotonic() < give_up:
        if machine.process.poll() is not None:
            pytest.fail(f"{machine.name} stopped at start:\n{machine.said()}")
        try:
            connection = HTTPConnection("127.0.0.1", machine.port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"{machine.name} did not answer /healthz in {STARTUP} s:\n{machine.said()}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if conftest.POSTGRES is None:
        pytest.skip("no PostgreSQL on this machine (see the notice in the report)")
    tmp = tmp_path_factory.mktemp("two-machines")
    prefix = f"test-two-machines-{secrets.token_hex(4)}"
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    with _redis() as redis_url, conftest.POSTGRES.fresh_database() as url:
        migrate(url)  # once: two `flask db upgrade` at once on an empty database would race
        environ = {
            **{k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"},
            "OUR_PROMISE_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "ENCRYPTION_KEYS": TEST_KEY,
            "DATABASE_URL": url,
            "RATELIMIT_STORAGE_URI": redis_url,
            "RATELIMIT_KEY_PREFIX": prefix,
            "BASE_URL": "https://promise.council.example",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp.port),
            "MAIL_FROM": "tellus@council.example",
            "PROXY_COUNT": "1",
            "WEB_CONCURRENCY": "2",
        }
        machines = []
        for name in ("A", "B"):
            port = free_port()
            log = tmp / f"{name}.log"
            # `-o install`: this test run has installed everything already, and two servers
            # compiling the translations at once could each read the other's half-written file.
            process = _start(
                ["make", "-s", "-o", "install", "serve"],
                {**environ, "BIND": f"127.0.0.1:{port}"},
                log,
            )
            machines.append(Machine(name, port, process, log))
        try:
            for machine in machines:
                _wait_until_up(machine)
            database = url.replace("postgresql+psycopg://", "postgresql://")
            yield Site(machines, environ, database, inbox, tmp)
        finally:
            for machine in machines:
                _stop(machine.process)
            smtp.stop()
            with redis.Redis.from_url(redis_url) as store:  # this run's keys, no others
                keys = list(store.scan_iter(match=f"*{prefix}*"))
                if keys:
                    store.delete(*keys)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    def token(self) -> str:
        field = BeautifulSoup(self.text, "html.parser").find("input", attrs={"name": "csrf_token"})
        assert field is not None, f"no CSRF field in a {self.status} page"
        return str(field["value"])

    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "html.parser")


@dataclass
class Phone:
    """A child's phone, as a server sees it through the TLS proxy."""

    address: str  # what the proxy puts in X-Forwarded-For
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, machine: Machine, method: str, path: str, form: Any = None) -> Reply:
        headers = {
            "Host": "promise.council.example",
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = HTTPConnection("127.0.0.1", machine.port, timeout=PATIENCE)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for line in response.headers.get_all("Set-Cookie") or []:
                self._keep(line)
            return Reply(response.status, dict(response.headers.items()), text)
        finally:
            connection.close()

    def _keep(self, line: str) -> None:
        cookie = SimpleCookie()
        cookie.load(line)
        for name, morsel in cookie.items():
            # Production's cookies are Secure: the browser holds them for the https site.
            assert morsel["secure"], f"{name} is not a Secure cookie"
            if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, machine: Machine, path: str) -> Reply:
        return self.request(machine, "GET", path)

    def post_form(self, machine: Machine, page: str, **data: Any) -> Reply:
        """Open the page on one machine and send its form there, as a browser would."""
        opened = self.get(machine, page)
        assert opened.status == 200, (page, opened.status)
        return self.request(machine, "POST", page, {"csrf_token": opened.token(), **data})


def look_up(phone: Phone, machine: Machine) -> int:
    return phone.post_form(machine, "/messages/find", reference="ABCDEF", words="a b c").status


def test_rate_limits_are_shared_whichever_machine_answers(site: Site) -> None:
    a, b = site.machines
    child = Phone("198.51.100.20")
    statuses = [look_up(child, (a, b)[n % 2]) for n in range(10)]
    assert statuses == [200] * 10  # five on each machine: the limit is 10 per 10 minutes
    assert look_up(child, a) == 429  # the eleventh, whichever machine answers
    assert look_up(child, b) == 429
    assert look_up(Phone("198.51.100.21"), b) == 200  # another child, their own count


def test_a_childs_session_works_on_either_machine(site: Site) -> None:
    a, b = site.machines
    child = Phone("198.51.100.30")
    chosen = child.post_form(a, "/choose", age="5_to_9", symbols="no", next="/promises")
    assert chosen.status == 303, chosen.status
    assert "__Host-session" in child.cookies
    age = child.get(b, "/choose").soup().select_one("input[name=age][checked]")
    assert age is not None and age["value"] == "5_to_9"  # chosen on A, seen on B
    # A message begun on A, finished on B, checked on A, sent from B.
    for n, (step, data) in enumerate(STEPS.items()):
        answered = child.post_form((a, b)[n * 2 // len(STEPS)], f"/tell-us/{step}", **data)
        assert answered.status == 303, (step, answered.status)
    check = child.get(a, "/tell-us/check")
    assert check.status == 200 and STEPS["words"]["words"] in check.text
    key = check.soup().select_one("input[name=submission_key]")
    assert key is not None
    sent = child.request(
        b, "POST", "/tell-us/send", {"csrf_token": check.token(), "submission_key": key["value"]}
    )
    assert (sent.status, sent.headers["Location"]) == (303, "/tell-us/sent")
    reference = child.get(a, "/tell-us/sent").soup().select_one(".reference")
    assert reference is not None
    status = child.get(b, f"/messages/{reference.get_text(strip=True)}")
    assert status.status == 200  # the phone that sent it sees its status from either


@dataclass
class Load:
    """Many children sending at once through both machines, while one of them dies."""

    killed: threading.Event = field(default_factory=threading.Event)
    acknowledged: dict[str, str] = field(default_factory=dict)  # submission key: phone
    lost_with_b: Counter[str] = field(default_factory=Counter)  # requests, by step
    lock: threading.Lock = field(default_factory=threading.Lock)


def _journey(site: Site, load: Load, n: int) -> None:
    """One child's whole message, on their machine; when it dies, on the other, as a proxy
    (or the app's offline sending) would try again. Only a connection that fails is tried
    again, with the same page and the same one-time key, so a send may be repeated."""
    phone = Phone(f"203.0.113.{n + 1}")  # each child their own address: the send limit is 20
    here, other = site.machines if n % 2 == 0 else reversed(site.machines)

    def on_a_machine(step: str, call: Any) -> Reply:
        nonlocal here
        try:
            reply: Reply = call(here)
            return reply
        except (OSError, HTTPException):  # refused, reset, or cut off mid-answer
            assert here is site.machines[1] and load.killed.is_set(), "a live machine failed"
            with load.lock:
                load.lost_with_b[step] += 1
            here = other
            reply = call(here)
            return reply

    for step, data in STEPS.items():
        answered = on_a_machine(
            step, lambda m, s=step, d=data: phone.post_form(m, f"/tell-us/{s}", **d)
        )
        assert answered.status == 303, (step, answered.status)
    check = on_a_machine("check", lambda m: phone.get(m, "/tell-us/check"))
    field = check.soup().select_one("input[name=submission_key]")
    assert field is not None
    form = {"csrf_token": check.token(), "submission_key": str(field["value"])}
    sent = on_a_machine("send", lambda m: phone.request(m, "POST", "/tell-us/send", form))
    assert (sent.status, sent.headers.get("Location")) == (303, "/tell-us/sent"), sent.status
    with load.lock:
        load.acknowledged[form["submission_key"]] = phone.address


def test_killing_a_machine_mid_load_loses_no_acknowledged_message(site: Site) -> None:
    a, b = site.machines
    load = Load()
    done = threading.Semaphore(0)

    def journey(n: int) -> None:
        try:
            _journey(site, load, n)
        finally:
            done.release()

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(journey, n) for n in range(PHONES_UNDER_LOAD)]
        for _ in range(PHONES_UNDER_LOAD // 2):  # halfway through, B dies: power, kernel, ...
            assert done.acquire(timeout=PATIENCE * 2), "the load stalled"
        load.killed.set()
        _stop(b.process, signal.SIGKILL)
        for future in futures:
            future.result(timeout=PATIENCE * 2)
    with psycopg.connect(site.database) as connection:
        rows = connection.execute(
            "SELECT submission_key, count(*) FROM contact "
            "WHERE submission_key = ANY(%s) GROUP BY submission_key",
            (list(load.acknowledged),),
        ).fetchall()
    print(
        f"{PHONES_UNDER_LOAD} children sent through two machines, B killed halfway: "
        f"{len(load.acknowledged)} acknowledged; requests lost with B and made again on A, "
        f"by step: {dict(load.lost_with_b)}"
    )
    assert len(load.acknowledged) == PHONES_UNDER_LOAD  # every child was told it went
    assert dict(rows) == dict.fromkeys(load.acknowledged, 1)  # each kept once, none lost
    assert b.process.poll() is not None and a.process.poll() is None


def test_two_outbox_workers_send_each_email_once(site: Site) -> None:
    with psycopg.connect(site.database) as connection:
        queued = connection.execute("SELECT count(*) FROM outbox_message").fetchone()
    assert queued is not None and queued[0] > 0, "the tests before this one queue the emails"
    flask = [sys.executable, "-m", "flask", "--app", "app", "outbox", "run", "--every", "1"]
    workers = [_start(flask, site.environ, site.tmp / f"outbox-{n}.log") for n in (1, 2)]
    try:
        give_up = time.monotonic() + PATIENCE
        waiting = queued[0]
        while waiting and time.monotonic() < give_up:
            time.sleep(0.5)
            with psycopg.connect(site.database) as connection:
                row = connection.execute(
                    "SELECT count(*) FROM outbox_message WHERE sent_at IS NULL"
                ).fetchone()
            waiting = row[0] if row else 0
        for number, worker in enumerate(workers, start=1):
            # Under load one may still be starting when the other has sent everything: a
            # SIGTERM then would end its start-up, not test a stop between rounds.
            log = site.tmp / f"outbox-{number}.log"
            while "outbox worker running" not in log.read_text():
                assert worker.poll() is None and time.monotonic() < give_up, log.read_text()
                time.sleep(0.2)
    finally:
        for worker in workers:
            _stop(worker)  # SIGTERM: each finishes its round, then stops
    assert [worker.returncode for worker in workers] == [0, 0]
    assert waiting == 0, f"{waiting} emails still waiting after {PATIENCE} s"
    with psycopg.connect(site.database) as connection:
        keys = [row[0] for row in connection.execute("SELECT dedupe_key FROM outbox_message")]
    ids = Counter(str(message["Message-ID"]) for message in site.inbox.messages)
    print(f"{len(keys)} emails, {len(ids)} Message-IDs at the server, most {max(ids.values())}")
    assert set(ids.values()) == {1}  # none twice
    assert set(ids) == {message_id(key, "council.example") for key in keys}  # none lost
