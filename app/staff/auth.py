"""Who is signed in, what they may do, and signing in and out.

Deny by default: every staff view names the permission it needs, and a view that touches one
contact checks that this member of staff may see that contact (a senior manager only sees
the contacts allocated to them), so a forged request gets 403, not the page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as BaseResponse
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app import audit, staff_accounts, throttle
from app.council import current as council
from app.extensions import db
from app.forms import BaseForm
from app.models import Contact, StaffUser
from app.roles import Can, can
from app.staff.blueprint import bp
from app.templating import how_long
from app.timekeeping import now

View = TypeVar("View", bound=Callable[..., Any])


def cookie_name() -> str:
    return "__Host-staff" if current_app.config["SECURE"] else "staff"


# Sent by the tracker's self-refresh alone (hx-headers in staff/tracker/_table.html): a request
# no person made. A client can only use it to let its own session lapse sooner.
AUTO_REFRESH = "Auto-Refresh"


def automatic_refresh() -> bool:
    """Whether this request is a page refreshing itself, not a person asking."""
    return bool(request.headers.get("HX-Request")) and request.headers.get(AUTO_REFRESH) == "true"


@bp.before_request
def load_staff() -> None:
    g.staff = staff_accounts.current(
        db.session(),
        request.cookies.get(cookie_name()),
        now(),
        activity=not automatic_refresh(),
    )
    db.session.commit()  # the session's last-seen time, or its end at a timeout


@bp.after_request
def never_cache(response: BaseResponse) -> BaseResponse:
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Cookie")
    response.vary.add("HX-Request")  # the tracker answers htmx with its table alone
    return response


def signed_in() -> StaffUser | None:
    staff: StaffUser | None = g.get("staff")
    return staff


def requires(permission: Can) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            staff = signed_in()
            if staff is None:
                sign_in_page = url_for("staff.sign_in", next=request.full_path.rstrip("?"))
                if request.headers.get("HX-Request"):
                    # htmx would put the sign-in page inside the table: go to it instead.
                    return BaseResponse(status=204, headers={"HX-Redirect": sign_in_page})
                return redirect(sign_in_page)
            if not can(staff.role, permission):
                audit.record(
                    db.session(),
                    "refused",
                    now=now(),
                    staff=staff,
                    details={"path": request.path, "needs": permission.value},
                )
                db.session.commit()
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def may_see(staff: StaffUser, contact: Contact) -> bool:
    if can(staff.role, Can.SEE_ALL_CONTACTS):
        return True
    return can(staff.role, Can.SEE_CONTACTS) and contact.allocated_to_id == staff.id


def contact_or_403(contact_id: int) -> Contact:
    staff = signed_in()
    assert staff is not None
    contact = db.session.get(Contact, contact_id)
    if contact is None:
        abort(404)
    if not may_see(staff, contact):
        audit.record(
            db.session(),
            "refused",
            now=now(),
            staff=staff,
            contact=contact,
            details={"path": request.path},
        )
        db.session.commit()
        abort(403)
    return contact


class SignInForm(BaseForm):
    exact = frozenset({"code"})  # a NUL in any field is refused in words, not taken out

    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password")), Length(max=1024)]
    )
    code = StringField(
        _l("Code from your authenticator app"),
        description=_l("The 6 numbers your app shows now."),
        validators=[DataRequired(_l("Enter the code from your app")), Length(max=12)],
    )


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | BaseResponse:
    """No Flask-Limiter limit here: one per account would let anyone shut a colleague out, and
    one per address every colleague behind the same office address. The rules throttle wrong
    tries instead, per address and account (staff_accounts.sign_in)."""
    form = SignInForm()
    if form.validate_on_submit():
        moment = now()
        typed = (form.email.data or "").strip().lower()[:254]
        try:
            staff = staff_accounts.sign_in(
                db.session(),
                form.email.data or "",
                form.password.data or "",
                form.code.data or "",
                address=request.remote_addr or "",
                now=moment,
                zone=council().response.zone,
                service=council().staff.short_name,
            )
        except throttle.Throttled as throttled:
            db.session.rollback()  # nothing was counted
            audit.record(db.session(), "sign_in_throttled", now=moment, actor=typed)
            db.session.commit()
            form.email.errors = [
                _l(
                    "Too many wrong tries. Wait %(wait)s, then try again. If you have "
                    "forgotten your password, ask your admin.",
                    wait=how_long(throttled.until - moment),
                )
            ]
            return render_template("staff/sign_in.html", form=form)
        if staff is None:
            audit.record(db.session(), "sign_in_failed", now=moment, actor=typed)
            db.session.commit()
            form.email.errors = [_l("The email address, password or code is not right.")]
        else:
            session.clear()  # a new session id at sign-in: nothing carried over
            token = staff_accounts.start_session(db.session(), staff, moment)
            audit.record(db.session(), "signed_in", now=moment, staff=staff)
            db.session.commit()
            response = redirect(_next_page(staff), code=303)
            response.set_cookie(
                cookie_name(),
                token,
                httponly=True,
                samesite="Strict",
                secure=current_app.config["SECURE"],
                path="/",
            )
            return response
    return render_template("staff/sign_in.html", form=form)


def _next_page(staff: StaffUser) -> str:
    target = request.args.get("next", "")
    if target.startswith("/staff/") and not target.startswith("//"):
        return target
    return url_for("staff.home")


@bp.post("/sign-out")
def sign_out() -> BaseResponse:
    staff = signed_in()
    moment = now()
    staff_accounts.end_session(db.session(), request.cookies.get(cookie_name()), moment)
    if staff is not None:
        audit.record(db.session(), "signed_out", now=moment, staff=staff)
    db.session.commit()
    response = redirect(url_for("staff.sign_in"), code=303)
    response.delete_cookie(
        cookie_name(),
        path="/",
        secure=current_app.config["SECURE"],
        httponly=True,
        samesite="Strict",
    )
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    return response


@bp.get("/")
def home() -> BaseResponse:
    staff = signed_in()
    if staff is None:
        return redirect(url_for("staff.sign_in"))
    if can(staff.role, Can.SEE_CONTACTS):
        return redirect(url_for("staff.tracker"))
    if can(staff.role, Can.REPORTS):
        return redirect(url_for("staff.reports"))
    if can(staff.role, Can.RECORD_AWARENESS):
        return redirect(url_for("staff.awareness"))
    return redirect(url_for("staff.accounts"))
