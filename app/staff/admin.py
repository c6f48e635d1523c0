"""Accounts (admin): no contact content. The audit trail is in audit_trail.py.

Admin makes, disables, enables and resets accounts here; the new person (or the one reset)
sets their password and enrols their authenticator through the one-time link emailed to
them (`welcome`). The rules are app/staff_accounts.py: these views parse, call, say.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import qrcode
from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from app import staff_accounts
from app.council import current as council
from app.extensions import db
from app.forms import BaseForm, choices
from app.labels import ROLES
from app.models import StaffUser
from app.roles import Can, Role
from app.staff.auth import requires, signed_in
from app.staff.blueprint import bp
from app.timekeeping import now

CHANGES = frozenset({"disable", "enable", "reset", "team"})
# The flow between choosing a password and confirming the first code, in the signed session.
ENROLLING = "enrolling"
# A reset's code, from the reset to the page that shows it once.
RESET_CODE = "reset_code"


def desk() -> staff_accounts.Desk:
    return staff_accounts.Desk(
        base_url=current_app.config["BASE_URL"],
        service=council().staff.short_name,
        zone=council().response.zone,
        teams=council().staff.teams_by_key,
    )


def team_choices() -> list[tuple[str, str]]:
    return [("", _("No team")), *((t.key, t.name) for t in council().staff.teams)]


class NewAccountForm(BaseForm):
    name = StringField(
        _l("Their name"),
        description=_l("As a child reads it: “Sam Patel, a senior manager, will talk to you”."),
        validators=[DataRequired(_l("Enter their name")), Length(max=120)],
    )
    email = EmailField(
        _l("Their work email address"),
        description=_l("The one-time link to set up the account goes here."),
        validators=[DataRequired(_l("Enter their email address")), Length(max=254)],
    )
    role = RadioField(
        _l("Role"),
        choices=choices({role.value: words for role, words in ROLES.items()}),
        validators=[InputRequired(_l("Choose a role"))],
    )
    team = SelectField(_l("Team"), validators=[Length(max=40)])


class TeamForm(BaseForm):
    team = SelectField(_l("Team"), validators=[Length(max=40)])


ACCOUNT_REFUSALS = {
    "bad_email": _l("Enter an email address, like name@council.example."),
    "unknown_role": _l("Choose a role."),
    "unknown_team": _l("Choose one of the council's teams."),
    "email_taken": _l("There is already an account with that email address."),
    "no_such_account": _l("There is no such account."),
    "own_account": _l("You cannot disable or reset your own account: ask another admin to do it."),
    "disabled": _l("This account is disabled: enable it first."),
    "password_too_short": _l(
        "Your password needs at least %(n)s characters.", n=staff_accounts.PASSWORD_MIN
    ),
    "password_too_long": _l(
        "Your password can have at most %(n)s characters.", n=staff_accounts.PASSWORD_MAX
    ),
    "reset_code_wrong": _l(
        "That reset code is not right. Check it with your admin: they gave it to you by "
        "phone or in person, not by email."
    ),
    "link_not_valid": _l(
        "This link no longer works: it has been used, has expired, or a newer one was sent. "
        "Ask your admin for a new one."
    ),
}


def _accounts_page(
    status: int = 200, refusal: Any = None, reset: tuple[StaffUser, str] | None = None
) -> tuple[str, int]:
    people = db.session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    forms = {}
    for person in people:
        form = TeamForm(prefix=f"team-{person.id}", data={"team": person.team or ""})
        form.team.choices = team_choices()
        forms[person.id] = form
    return render_template(
        "staff/accounts.html",
        people=people,
        names=ROLES,
        roles=Role,
        form=BaseForm(),
        team_forms=forms,
        teams=council().staff.teams_by_key,
        me=signed_in(),
        refusal=refusal,
        reset=reset,
    ), status


@bp.get("/accounts")
@requires(Can.ACCOUNTS)
def accounts() -> tuple[str, int]:
    shown = session.pop(RESET_CODE, None)
    person = db.session.get(StaffUser, int(shown["id"])) if shown else None
    return _accounts_page(reset=(person, str(shown["code"])) if person and shown else None)


@bp.route("/accounts/new", methods=["GET", "POST"])
@requires(Can.ACCOUNTS)
def new_account() -> Response | tuple[str, int]:
    form = NewAccountForm()
    form.team.choices = team_choices()
    if form.validate_on_submit():
        admin = signed_in()
        assert admin is not None
        try:
            person = staff_accounts.invite(
                db.session(),
                form.email.data or "",
                role=form.role.data or "",
                name=form.name.data or "",
                team=form.team.data or None,
                by=admin,
                desk=desk(),
                now=now(),
            )
        except staff_accounts.AccountError as error:
            db.session.rollback()
            field = {"email_taken": form.email, "bad_email": form.email}.get(error.code, form.team)
            field.errors = [ACCOUNT_REFUSALS[error.code]]
            return render_template("staff/accounts_new.html", form=form), 400
        db.session.commit()
        flash(
            _l(
                "Account made. %(email)s has been emailed a one-time link to set it up.",
                email=person.email,
            )
        )
        return redirect(url_for("staff.accounts"), code=303)
    status = 400 if form.errors else 200
    return render_template("staff/accounts_new.html", form=form), status


@bp.post("/accounts/<int:staff_id>/<change>")
@requires(Can.ACCOUNTS)
def change_account(staff_id: int, change: str) -> Response | tuple[str, int]:
    person = db.session.get(StaffUser, staff_id)
    if person is None or change not in CHANGES:
        abort(404)
    form: BaseForm = TeamForm(prefix=f"team-{staff_id}") if change == "team" else BaseForm()
    if change == "team":
        form.team.choices = team_choices()
    if not form.validate():
        abort(400)
    admin = signed_in()
    assert admin is not None
    moment = now()
    try:
        if change == "disable":
            staff_accounts.disable(db.session(), person.email, moment, by=admin)
            done = _l("%(email)s is disabled and signed out everywhere.", email=person.email)
        elif change == "enable":
            staff_accounts.enable(db.session(), person.email, moment, by=admin)
            done = _l("%(email)s can sign in again.", email=person.email)
        elif change == "reset":
            _, code = staff_accounts.reset(
                db.session(), person.email, by=admin, desk=desk(), now=moment
            )
            db.session.commit()
            # Shown to admin once, on the accounts page this redirects to: it rides in the
            # signed session cookie of admin's own browser until then (never in the database
            # or an email), and that page takes it out.
            session[RESET_CODE] = {"id": person.id, "code": code}
            return redirect(url_for("staff.accounts"), code=303)
        else:
            staff_accounts.change_team(
                db.session(), person, form.team.data, by=admin, desk=desk(), now=moment
            )
            done = _l("%(email)s's team is changed.", email=person.email)
    except staff_accounts.AccountError as error:
        db.session.rollback()
        return _accounts_page(409, ACCOUNT_REFUSALS[error.code])
    db.session.commit()
    flash(done)
    return redirect(url_for("staff.accounts"), code=303)


class PasswordForm(BaseForm):
    exact = frozenset({"password"})
    password = PasswordField(
        _l("Choose a password"),
        description=_l(
            "At least %(n)s characters. A few words you will remember is a good password. "
            "A password manager is welcome.",
            n=staff_accounts.PASSWORD_MIN,
        ),
        validators=[DataRequired(_l("Choose a password")), Length(max=1024)],
    )
    # Asked only on a reset's link (`staff_accounts.needs_code`).
    code = StringField(
        _l("The reset code your admin gave you"),
        description=_l(
            "8 letters and numbers, like ABCD-EFGH. Your admin gives it to you by phone or in "
            "person, never by email."
        ),
        validators=[Length(max=20)],
    )


class CodeForm(BaseForm):
    exact = frozenset({"code"})
    code = StringField(
        _l("Code from your authenticator app"),
        description=_l("The 6 numbers your app shows now."),
        validators=[DataRequired(_l("Enter the code from your app")), Length(max=12)],
    )


@dataclass(frozen=True)
class QR:
    """A QR code as the template draws it in inline SVG, escaped like any other value:
    nothing fetched, nothing inline the CSP forbids (no script, no style attribute)."""

    size: int  # modules a side, the quiet zone included
    path: str  # one square per dark module


def qr_code(text: str) -> QR:
    code = qrcode.QRCode(border=2)
    code.add_data(text)
    code.make(fit=True)
    rows = code.get_matrix()
    path = "".join(
        f"M{x},{y}h1v1h-1z" for y, row in enumerate(rows) for x, dark in enumerate(row) if dark
    )
    return QR(size=len(rows), path=path)


def _authenticator_page(person: StaffUser, form: CodeForm, status: int = 200) -> tuple[str, int]:
    uri = staff_accounts.provisioning_uri(person, council().staff.issuer)
    return render_template(
        "staff/accounts_authenticator.html",
        form=form,
        person=person,
        qr=qr_code(uri),
        secret=" ".join(re.findall(".{1,4}", person.totp_secret)),
    ), status


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str) -> Response | tuple[str, int]:
    """The one-time link: choose a password (opening it uses nothing), then the QR code."""
    moment = now()
    person = staff_accounts.link_owner(db.session(), token, moment)
    if person is None:
        return render_template(
            "staff/accounts_link.html", refusal=ACCOUNT_REFUSALS["link_not_valid"]
        ), 404
    form = PasswordForm()
    needs_code = staff_accounts.needs_code(db.session(), token, moment)
    if form.validate_on_submit():
        if needs_code and not (form.code.data or "").strip():
            form.code.errors = [_l("Enter the reset code your admin gave you")]
            return _welcome_page(form, person, needs_code, 400)
        try:
            person = staff_accounts.choose_password(
                db.session(), token, form.password.data or "", moment, code=form.code.data or ""
            )
        except staff_accounts.AccountError as error:
            if error.code in {"reset_code_wrong", "link_not_valid"}:
                db.session.commit()  # the wrong try counts, and is in the audit trail
            else:
                db.session.rollback()
            if error.code == "link_not_valid":
                return render_template(
                    "staff/accounts_link.html", refusal=ACCOUNT_REFUSALS[error.code]
                ), 404
            field = form.code if error.code == "reset_code_wrong" else form.password
            field.errors = [ACCOUNT_REFUSALS[error.code]]
            return _welcome_page(form, person, needs_code, 400)
        db.session.commit()
        session[ENROLLING] = {"id": person.id, "since": moment.isoformat()}
        return _authenticator_page(person, CodeForm())
    return _welcome_page(form, person, needs_code, 400 if form.errors else 200)


def _welcome_page(
    form: PasswordForm, person: StaffUser, needs_code: bool, status: int
) -> tuple[str, int]:
    return render_template(
        "staff/accounts_welcome.html", form=form, person=person, needs_code=needs_code
    ), status


@bp.post("/welcome/authenticator")
def confirm_authenticator() -> Response | tuple[str, int]:
    enrolling = session.get(ENROLLING) or {}
    person = db.session.get(StaffUser, int(enrolling.get("id", 0)))
    if person is None:
        return render_template(
            "staff/accounts_link.html", refusal=ACCOUNT_REFUSALS["link_not_valid"]
        ), 404
    form = CodeForm()
    if not form.validate():
        return _authenticator_page(person, form, 400)
    moment = now()
    try:
        enrolled = staff_accounts.confirm_authenticator(
            db.session(),
            person,
            form.code.data or "",
            since=dt.datetime.fromisoformat(enrolling["since"]),
            now=moment,
        )
    except staff_accounts.AccountError as error:
        db.session.rollback()
        session.pop(ENROLLING, None)
        return render_template(
            "staff/accounts_link.html", refusal=ACCOUNT_REFUSALS[error.code]
        ), 409
    if not enrolled:
        db.session.rollback()
        form.code.errors = [
            _l(
                "That code is not right. Check the app shows this account, then try its "
                "newest code."
            )
        ]
        return _authenticator_page(person, form, 400)
    db.session.commit()
    session.pop(ENROLLING, None)
    flash(_l("Your account is ready. Sign in with your password and a new code."))
    return redirect(url_for("staff.sign_in"), code=303)
