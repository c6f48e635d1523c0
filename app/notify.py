"""The outbox worker: queue the deadline reminders now due, then send what is waiting.

What an email says and when one is written are the rules' business (app/contacts); this
module only runs the rounds, and picks how mail leaves (SMTP, or the log when that is chosen
or, outside production, when no SMTP server is set).
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _

from app import outbox, push, retention, throttle
from app.contacts import news, reminders
from app.council import current as council
from app.council import office
from app.extensions import db
from app.timekeeping import now

log = logging.getLogger(__name__)


def _to_the_log(mail: outbox.Mail) -> None:
    # A warning, so nobody mistakes it for sent mail; the recipient and subject, never the body.
    log.warning("email written to the log, not sent: to %s: %s", mail.recipient, mail.subject)


def deliverer(app: Flask) -> outbox.Send:
    """The outbox's rows: pushes to the push services (app/push.py), email as `sender` says."""
    config = app.config

    def gone(subscription_id: int) -> None:
        news.gone(db.session(), subscription_id)
        db.session.commit()

    with force_locale(config["BABEL_DEFAULT_LOCALE"]):  # a worker has no child's language
        words = str(_("There's news about your message"))
    pusher = push.Pusher(
        private_key=config["VAPID_PRIVATE_KEY"],
        subject=config["VAPID_SUBJECT"],
        title=council().app.name,
        body=words,
        gone=gone,
    )
    return push.either(sender(app), pusher)


def sender(app: Flask) -> outbox.Send:
    """SMTP when SMTP_HOST is set, unless MAIL_TRANSPORT=log asks for the log on purpose.

    Production refuses to start with neither (app/config.py); local runs use the log.
    """
    config = app.config
    if config.get("MAIL_TRANSPORT") == "log" or not config.get("SMTP_HOST"):
        return _to_the_log
    return outbox.Smtp(
        host=config["SMTP_HOST"],
        port=int(config["SMTP_PORT"]),
        sender=config["MAIL_FROM"],
        username=config.get("SMTP_USERNAME", ""),
        password=config.get("SMTP_PASSWORD", ""),
        starttls=bool(config.get("SMTP_STARTTLS")),
    )


def run_once(app: Flask) -> tuple[int, int]:
    """Queue any deadline reminders now due, forget throttles long spent, then send what is
    waiting."""
    with app.app_context():
        reminders.queue(db.session(), now(), office())
        db.session.commit()
        throttle.forget_old(db.session(), now())
        db.session.commit()
        _retention_daily(app)
        # The clock, not one moment: each claim, backoff and sent time reads the time afresh.
        return outbox.deliver_due(db.session(), deliverer(app), now)


def _retention_daily(app: Flask) -> None:
    """The retention pass (app/retention.py), once a day per worker: it is idempotent, so two
    workers doing it the same day do no harm."""
    last = app.extensions.get("retention_ran_at")
    moment = now()
    if last is not None and moment - last < dt.timedelta(days=1):
        return
    retention.run(
        db.session(), now=moment, days_after_closing=council().retention.days_after_closing
    )
    db.session.commit()
    app.extensions["retention_ran_at"] = moment


commands = AppGroup("outbox", help="Send the emails waiting in the outbox.")


@commands.command("run")
@click.option("--once", is_flag=True, help="Send what is waiting, then stop.")
@click.option("--every", default=30, show_default=True, help="Seconds between rounds.")
def run(once: bool, every: int) -> None:
    """The outbox worker: reminders and emails, sent after commit, retried with backoff."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # SIGTERM (systemd's stop, a container's) ends the worker between rounds, not inside one:
    # an email handed to the server but not yet marked sent would otherwise wait out its
    # lease and go again.
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signal, _frame: stopping.set())
    if not once:
        # From here a stop is graceful; until here SIGTERM ends the start-up, with nothing sent.
        click.echo(f"outbox worker running: a round every {every} s")
    while not stopping.is_set():
        sent, failed = run_once(app)
        if sent or failed:
            click.echo(f"sent {sent}, failed {failed}")
        if once:
            return
        stopping.wait(every)


def drain_in_background(app: Flask, every: float = 30.0) -> None:
    """In local development the app drains the outbox itself, so nothing else need run."""

    def loop() -> None:
        while True:
            try:
                run_once(app)
            except Exception:
                log.exception("the development outbox round failed")
            time.sleep(every)

    threading.Thread(target=loop, name="outbox", daemon=True).start()


def init_app(app: Flask) -> None:
    app.cli.add_command(commands)
