"""Command-line tools: `flask --app app staff ...` and `flask --app app keys ...`."""

from __future__ import annotations

import datetime as dt
import io
import os

import click
import qrcode
from flask import Flask
from flask.cli import AppGroup

from app import crypto, keys, retention, staff_accounts
from app.contacts import search
from app.council import current as council
from app.extensions import db
from app.models import StaffUser
from app.roles import Role

staff = AppGroup("staff", help="Make and manage staff accounts.")
keys_group = AppGroup("keys", help="Make encryption keys and re-encrypt with the newest.")

MESSAGES = {
    "password_too_short": f"The password needs at least {staff_accounts.PASSWORD_MIN} characters.",
    "password_too_long": f"The password may have at most {staff_accounts.PASSWORD_MAX} characters.",
    "email_taken": "There is already an account with that email address.",
    "unknown_role": "That is not a role: " + ", ".join(role.value for role in Role) + ".",
    "bad_email": "That is not an email address.",
    "no_such_account": "There is no account with that email address.",
    "unknown_team": "That is not a team in council.toml.",
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _show_second_factor(user: object) -> None:
    assert isinstance(user, StaffUser)
    uri = staff_accounts.provisioning_uri(user, council().staff.issuer)
    click.echo(f"totp-secret: {user.totp_secret}")
    click.echo(f"otpauth-uri: {uri}")
    code = qrcode.QRCode(border=1)
    code.add_data(uri)
    drawing = io.StringIO()
    code.print_ascii(out=drawing, invert=True)
    click.echo("Scan this with an authenticator app:")
    click.echo(drawing.getvalue())


@staff.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--name", default="", help="The name a child sees, such as 'Sam Patel'.")
@click.option("--team", default="", help="The team they work in, by its key in council.toml.")
def create(email: str, role: str, name: str, team: str) -> None:
    """Make an account. The password comes from STAFF_PASSWORD, or is asked for, hidden."""
    password = os.environ.get("STAFF_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = staff_accounts.create(
            db.session(),
            email,
            role=role,
            password=password,
            name=name,
            now=_now(),
            team=team or None,
            teams=council().staff.teams_by_key,
        )
    except staff_accounts.AccountError as error:
        raise click.ClickException(MESSAGES[error.code]) from None
    db.session.commit()
    click.echo(f"Made {user.email} ({user.role}).")
    _show_second_factor(user)


@staff.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Disable an account and end its sessions at once."""
    try:
        user = staff_accounts.disable(db.session(), email, _now())
    except staff_accounts.AccountError as error:
        raise click.ClickException(MESSAGES[error.code]) from None
    db.session.commit()
    click.echo(f"Disabled {user.email}; its sessions have ended.")


@staff.command("reset-2fa")
@click.argument("email")
def reset_2fa(email: str) -> None:
    """Give an account a new second factor, and end its sessions."""
    try:
        user = staff_accounts.reset_second_factor(db.session(), email, _now())
    except staff_accounts.AccountError as error:
        raise click.ClickException(MESSAGES[error.code]) from None
    db.session.commit()
    click.echo(f"New second factor for {user.email}; its sessions have ended.")
    _show_second_factor(user)


@keys_group.command("new")
def new_key() -> None:
    """Print a new key to put first in ENCRYPTION_KEYS."""
    click.echo(crypto.new_key())


@keys_group.command("rotate")
def rotate() -> None:
    """Re-encrypt everything with the first key in ENCRYPTION_KEYS; then the others can go."""
    session = db.session()
    counts = keys.rotate(session, commit=session.commit)
    for table, count in counts.items():
        click.echo(f"{table}: {count} values re-encrypted")
    click.echo("Done: the keys after the first in ENCRYPTION_KEYS can now be removed.")


@keys_group.command("reindex")
def reindex() -> None:
    """Rewrite the search hashes of names and phone numbers under the first key (once after
    the upgrade that adds search; `rotate` does it too)."""
    session = db.session()
    count = search.reindex(session, commit=session.commit)
    click.echo(f"{count} contacts indexed for search")


retention_group = AppGroup("retention", help="Remove what is no longer needed.")


@retention_group.command("run")
def retention_run() -> None:
    """Remove the words and contact details of contacts finished longer ago than council.toml
    allows, and device access to finished contacts; the report's facts stay."""
    session = db.session()
    removed = retention.run(
        session, now=_now(), days_after_closing=council().retention.days_after_closing
    )
    session.commit()
    click.echo(f"{removed.words} contacts' words removed, {removed.accesses} device accesses ended")


def init_app(app: Flask) -> None:
    app.cli.add_command(staff)
    app.cli.add_command(keys_group)
    app.cli.add_command(retention_group)
