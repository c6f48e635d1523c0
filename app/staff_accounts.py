"""Staff accounts: passwords (argon2id), a second factor at every sign-in (TOTP), sessions.

Admin makes, disables, enables and resets accounts in the browser (app/staff/admin.py), or
from the command line (app/cli.py). An account made or reset in the browser has no password
anyone knows and a fresh authenticator secret nobody has seen: its owner gets a one-time link
by email (kept here only as a hash, single use, expiring), chooses a password, then scans the
authenticator's QR code, shown once, and confirms a code. Until then it cannot sign in.
Nobody disables or resets their own account: the rules refuse it, whatever a page shows.
Every change to an account is in the audit trail, written here with the change.

Sessions live on the server, so signing out, a timeout or disabling an account ends them
there and then, whatever the browser still holds. A session is kept alive by what a person
does, not by a page refreshing itself (`current(..., activity=False)`).

Wrong sign-ins are throttled (app/throttle.py) so that nobody can turn the throttle on a
colleague by typing their email address:

- per address and account (SIGN_IN_PAIR): 5 tries, then waits of 1, 2, 4 ... minutes, at most
  a day: 15 wrong tries in a day at most (5 at once, then after waits of 1 to 512 minutes).
  Someone typing a colleague's address at their own machine slows only themselves.
- per address, any account (SIGN_IN_ADDRESS): 30 wrong tries a day, then waits of a minute
  doubling to an hour, so one machine cannot try a password against every account.
- per account, from anywhere (SIGN_IN_ACCOUNT): 100 wrong tries a day, then waits of a
  minute doubling to an hour. It takes seven or more addresses working together to reach it,
  and argon2 and the second factor stand behind it even then.

When a wrong try starts a wait on an account (its pair or the account itself), the account's
owner is told by email, once a day at most: when, and what to do. The email has no link, so
it cannot be mistaken for a phishing email, and never a password. The counts are kept for
whatever address was typed, an account or not, so a wait says nothing about who has one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import zoneinfo
from collections.abc import Collection
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import audit, outbox, throttle
from app.i18n import for_staff, long_date
from app.models import StaffLink, StaffSession, StaffUser
from app.roles import Role

HASHERS = {
    # OWASP ASVS 5.0 appendix C: argon2id with at least 46 MiB, one pass, one lane.
    "owasp": PasswordHasher(time_cost=1, memory_cost=46 * 1024, parallelism=1),
    # argon2's own cheapest parameters: for tests that are not testing the hashing, never live.
    "cheapest": PasswordHasher.from_parameters(profiles.CHEAPEST),
}
PASSWORD_MIN, PASSWORD_MAX = 12, 1024
IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
MINUTE, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)
SIGN_IN_PAIR = throttle.Policy(free=5, first_wait=MINUTE, longest_wait=DAY, window=DAY)
SIGN_IN_ADDRESS = throttle.Policy(free=30, first_wait=MINUTE, longest_wait=HOUR, window=DAY)
SIGN_IN_ACCOUNT = throttle.Policy(free=100, first_wait=MINUTE, longest_wait=HOUR, window=DAY)
# A one-time link works this long: over a weekend, not for weeks in someone's inbox.
LINK_LIFETIME = dt.timedelta(days=3)
# Between choosing a password and confirming the first code (the QR code's page).
ENROLMENT_TIME = dt.timedelta(minutes=30)
# A password hash no password matches (argon2 cannot read it): an account made or reset in
# the browser has it until its owner chooses their own.
NOTHING_MATCHES = "!"
# A reset's code, given by admin by phone or in person: no 0/O or 1/I/L to read out wrong;
# 8 of these 31 letters and digits is about 40 bits, and the link ends after a few misses.
RESET_CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RESET_CODE_LENGTH = 8
RESET_CODE_MISSES = 5
# Who changed an account when it was not a signed-in member of staff.
COMMAND_LINE = "command line"


class AccountError(Exception):
    """The account cannot be made or changed; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hasher() -> PasswordHasher:
    """The password hasher: OWASP's parameters unless a test sets PASSWORD_HASH_PROFILE."""
    if not has_app_context():
        return HASHERS["owasp"]
    profile = current_app.config.get("PASSWORD_HASH_PROFILE", "owasp")
    if profile != "owasp" and not current_app.testing:
        raise RuntimeError(f"the password hash profile {profile!r} is for tests only")
    return HASHERS[profile]


@dataclass(frozen=True)
class Desk:
    """What the account rules need of the council and of this deployment."""

    base_url: str  # where the one-time link points
    service: str  # what staff call the service: "Your Tell Us staff account"
    zone: zoneinfo.ZoneInfo  # the council's, for the link's expiry in words
    teams: Collection[str]  # the council's teams, by key


def find(session: Session, email: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))


def check_password_rules(password: str) -> None:
    """Long enough, and nothing else: no composition rules, paste allowed (ASVS 6.2)."""
    if len(password) < PASSWORD_MIN:
        raise AccountError("password_too_short")
    if len(password) > PASSWORD_MAX:
        raise AccountError("password_too_long")


def _new_account(
    session: Session,
    email: str,
    *,
    role: str,
    name: str,
    team: str | None,
    teams: Collection[str] | None,
    password_hash: str,
    now: dt.datetime,
) -> StaffUser:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError("bad_email")
    try:
        role = Role(role).value
    except ValueError:
        raise AccountError("unknown_role") from None
    team = team or None
    if team is not None and (teams is None or team not in teams):
        raise AccountError("unknown_team")
    if find(session, email) is not None:
        raise AccountError("email_taken")
    user = StaffUser(
        email=email,
        name=name.strip()[:120] or email.split("@")[0],
        role=role,
        team=team,
        password_hash=password_hash,
        totp_secret=pyotp.random_base32(),
        totp_last_step=0,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def _audit(
    session: Session, action: str, user: StaffUser, by: StaffUser | None, now: dt.datetime
) -> None:
    """An account change in the audit trail: the account by its email, never a secret."""
    details = {"account": user.email, "role": user.role, "team": user.team}
    audit.record(
        session, f"account:{action}", now=now, staff=by, actor=COMMAND_LINE, details=details
    )


def create(
    session: Session,
    email: str,
    *,
    role: str,
    password: str,
    name: str,
    now: dt.datetime,
    team: str | None = None,
    teams: Collection[str] | None = None,
) -> StaffUser:
    """An account with its password, enrolled at once (the command line shows the QR code)."""
    check_password_rules(password)
    user = _new_account(
        session,
        email,
        role=role,
        name=name,
        team=team,
        teams=teams,
        password_hash=hasher().hash(password),
        now=now,
    )
    user.enrolled_at = now
    _audit(session, "created", user, None, now)
    return user


def invite(
    session: Session,
    email: str,
    *,
    role: str,
    name: str,
    team: str | None,
    by: StaffUser,
    desk: Desk,
    now: dt.datetime,
) -> StaffUser:
    """An account made by admin: no password yet; its owner is emailed a one-time link."""
    user = _new_account(
        session,
        email,
        role=role,
        name=name,
        team=team,
        teams=desk.teams,
        password_hash=NOTHING_MATCHES,
        now=now,
    )
    _audit(session, "created", user, by, now)
    _send_link(session, user, by, desk, now, reset=False)
    return user


def change_team(
    session: Session,
    user: StaffUser,
    team: str | None,
    *,
    by: StaffUser,
    desk: Desk,
    now: dt.datetime,
) -> None:
    team = team or None
    if team is not None and team not in desk.teams:
        raise AccountError("unknown_team")
    user.team = team
    _audit(session, "team_changed", user, by, now)


def new_reset_code() -> str:
    """ "ABCD-EFGH": read out on the phone, typed with or without the dash, any case."""
    letters = "".join(secrets.choice(RESET_CODE_LETTERS) for _ in range(RESET_CODE_LENGTH))
    return f"{letters[:4]}-{letters[4:]}"


def _code_hash(code: str) -> str:
    typed = "".join(ch for ch in code.upper() if ch.isalnum())
    return _token_hash(f"reset-code:{typed}")


def _send_link(
    session: Session,
    user: StaffUser,
    by: StaffUser,
    desk: Desk,
    now: dt.datetime,
    *,
    reset: bool,
    code: str | None = None,
) -> None:
    """A new one-time link (any older one stops working), emailed to the account's owner;
    a reset's needs `code` too, which never goes in the email."""
    session.execute(
        update(StaffLink)
        .where(StaffLink.staff_id == user.id, StaffLink.ended_at.is_(None))
        .values(ended_at=now)
    )
    token = secrets.token_urlsafe(32)
    link = StaffLink(
        token_hash=_token_hash(token),
        staff_id=user.id,
        created_at=now,
        expires_at=now + LINK_LIFETIME,
        code_hash=_code_hash(code) if code else None,
        code_misses=0,
    )
    session.add(link)
    session.flush()
    outbox.queue(
        session,
        key=f"staff-link:{user.id}:{link.id}",
        recipient=user.email,
        **_link_email(user, by, desk, token, link.expires_at.astimezone(desk.zone), reset=reset),
        now=now,
    )


@for_staff
def _link_email(
    user: StaffUser, by: StaffUser, desk: Desk, token: str, until: dt.datetime, *, reset: bool
) -> dict[str, str]:
    words = {
        "name": user.name,
        "service": desk.service,
        "email": user.email,
        "by": by.name,
        "link": f"{desk.base_url.rstrip('/')}/staff/welcome/{token}",
        "time": f"{until:%H:%M}",
        "day": long_date(until),
        "zone": desk.zone.key,
    }
    why = (
        _(
            "%(name)s, your %(service)s staff account (%(email)s) has been reset by %(by)s: "
            "your old password and authenticator no longer work, and you have been signed out "
            "everywhere.",
            **words,
        )
        if reset
        else _("%(name)s, %(by)s has made you a %(service)s staff account (%(email)s).", **words)
    )
    how = _(
        "Follow this link to choose your password, then set up an authenticator app on your "
        "phone by scanning the code it shows you:\n%(link)s\n\n"
        "The link works once, until %(time)s on %(day)s (%(zone)s time). If it has expired, "
        "or you did not expect it, tell your admin.\n\n"
        "We will never ask for your password or a code by email.\n",
        **words,
    )
    return {
        "subject": _("Set up your %(service)s staff account", **words),
        "body": f"{why}\n\n{how}",
    }


def link_owner(session: Session, token: str, now: dt.datetime) -> StaffUser | None:
    """Whose one-time link this is, while it works: unused, unexpired, the account enabled.
    Opening the link uses nothing (a mail scanner may open it first)."""
    link = _live_link(session, token, now)
    return link.staff if link is not None else None


def _live_link(session: Session, token: str, now: dt.datetime) -> StaffLink | None:
    if not token or len(token) > 100:
        return None
    link = session.scalar(select(StaffLink).where(StaffLink.token_hash == _token_hash(token)))
    if link is None or link.ended_at is not None or link.expires_at <= now:
        return None
    if link.staff.disabled_at is not None or link.staff.enrolled_at is not None:
        return None
    return link


def needs_code(session: Session, token: str, now: dt.datetime) -> bool:
    """Whether this working link is a reset's, which asks for the code admin gave."""
    link = _live_link(session, token, now)
    return link is not None and link.code_hash is not None


def choose_password(
    session: Session, token: str, password: str, now: dt.datetime, code: str = ""
) -> StaffUser:
    """The owner's own password; the link is used up. The authenticator secret is made now,
    for the one page that shows it (`confirm_authenticator` finishes the enrolment).

    A reset's link also needs its code: a wrong one is counted (and committed by the caller,
    the error raised after), and the link ends at RESET_CODE_MISSES."""
    link = _live_link(session, token, now)
    if link is None:
        raise AccountError("link_not_valid")
    if link.code_hash is not None and not hmac.compare_digest(_code_hash(code), link.code_hash):
        # Counted in the database, not on the row as this request read it: wrong codes sent
        # at once from many connections would each have written "1 miss" over the others.
        misses = session.execute(
            update(StaffLink)
            .where(StaffLink.id == link.id)
            .values(code_misses=StaffLink.code_misses + 1)
            .returning(StaffLink.code_misses)
            .execution_options(synchronize_session=False)
        ).scalar_one()
        session.refresh(link, ["code_misses"])
        if misses >= RESET_CODE_MISSES:
            link.ended_at = now
        _audit(session, "reset_code_wrong", link.staff, link.staff, now)
        raise AccountError("reset_code_wrong" if link.ended_at is None else "link_not_valid")
    check_password_rules(password)
    user = link.staff
    link.ended_at = now
    user.password_hash = hasher().hash(password)
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = 0
    _audit(session, "password_chosen", user, user, now)
    return user


def confirm_authenticator(
    session: Session, user: StaffUser, code: str, *, since: dt.datetime, now: dt.datetime
) -> bool:
    """The first code from the newly scanned authenticator: right, and within ENROLMENT_TIME
    of choosing the password, it enrols the account, which may then sign in."""
    if user.enrolled_at is not None or user.disabled_at is not None:
        raise AccountError("link_not_valid")
    if now - since > ENROLMENT_TIME or user.password_hash == NOTHING_MATCHES:
        raise AccountError("link_not_valid")
    if not code_matches(user, code, now):
        return False
    user.enrolled_at = now
    _audit(session, "enrolled", user, user, now)
    return True


def provisioning_uri(user: StaffUser, issuer: str) -> str:
    """The otpauth:// link; `issuer` is the name the authenticator app shows (council.toml)."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def password_matches(user: StaffUser, password: str) -> bool:
    current = hasher()
    try:
        current.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if current.check_needs_rehash(user.password_hash):
        user.password_hash = current.hash(password)
    return True


def code_matches(user: StaffUser, code: str, now: dt.datetime) -> bool:
    """A current TOTP code, used for the first time (a code is accepted once)."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    step_now = totp.timecode(now)
    for step in (step_now - 1, step_now, step_now + 1):  # allow a little clock drift
        if secrets.compare_digest(totp.generate_otp(step), code):
            if step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def authenticate(
    session: Session, email: str, password: str, code: str, now: dt.datetime
) -> StaffUser | None:
    """The member of staff, if all three are right and the account is enabled."""
    user = find(session, email)
    if user is None:
        hasher().hash(password)  # take as long as a real check: a miss says nothing
        return None
    if not password_matches(user, password) or user.disabled_at is not None:
        return None
    if user.enrolled_at is None:
        return None  # its owner has not finished setting it up
    if not code_matches(user, code, now):
        return None
    return user


def sign_in(
    session: Session,
    email: str,
    password: str,
    code: str,
    *,
    address: str,
    now: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    service: str,
) -> StaffUser | None:
    """`authenticate`, throttled per address and account (see the module's docstring).

    Raises throttle.Throttled, checking nothing, while a wait is running. A right sign-in
    forgets the wrong tries at this account (from this address and everywhere) and takes its
    own try back from the address's count. `zone` and `service` (what staff call the service,
    from council.toml) are for the email that tells the account's owner.
    """
    typed = email.strip().lower()
    pair = throttle.key("sign-in:pair", address, typed)
    from_address = throttle.key("sign-in:address", address)
    account = throttle.key("sign-in:account", typed)
    counted = throttle.attempt(
        session,
        [(pair, SIGN_IN_PAIR), (from_address, SIGN_IN_ADDRESS), (account, SIGN_IN_ACCOUNT)],
        now,
    )
    user = authenticate(session, email, password, code, now)
    if user is not None:
        throttle.clear(session, [pair, account])
        throttle.forgive(session, counted, [from_address])
        return user
    if counted.first_waits & {pair, account}:
        owner = find(session, typed)
        if owner is not None:
            _tell_owner(session, owner, now, zone, service)
    return None


def _tell_owner(
    session: Session, owner: StaffUser, now: dt.datetime, zone: zoneinfo.ZoneInfo, service: str
) -> None:
    """Wrong sign-ins to this account are being slowed down: say so, once a day at most."""
    outbox.queue(
        session,
        key=f"sign-in-failures:{owner.id}:{now:%Y-%m-%d}",
        recipient=owner.email,
        **_failures_email(owner, now.astimezone(zone), service),
        now=now,
    )


@for_staff
def _failures_email(owner: StaffUser, local: dt.datetime, service: str) -> dict[str, str]:
    words = {
        "name": owner.name,
        "service": service,
        "email": owner.email,
        "time": f"{local:%H:%M}",
        "day": long_date(local),
        "zone": str(local.tzinfo),
    }
    return {
        "subject": _("Failed sign-ins to your %(service)s staff account", **words),
        "body": _(
            "%(name)s, someone has tried to sign in to your %(service)s staff account "
            "(%(email)s) with a wrong password or code several times, the latest at %(time)s "
            "on %(day)s (%(zone)s time). Further tries are now slowed down for a while.\n\n"
            "If it was you: wait a few minutes, then sign in as usual.\n\n"
            "If it was not you: nobody can sign in without both your password and the code "
            "from your authenticator app. Tell your admin today. If you think someone knows "
            "your password, they can reset your second factor or disable the account until "
            "it is safe.\n\n"
            "We will never ask for your password or a code by email. You will get at most one "
            "of these emails a day.\n",
            **words,
        ),
    }


def start_session(session: Session, user: StaffUser, now: dt.datetime) -> str:
    """A new session id at every sign-in: the token goes in the cookie, its hash here."""
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_token_hash(token), staff_id=user.id, created_at=now, last_seen_at=now
        )
    )
    return token


def current(
    session: Session, token: str | None, now: dt.datetime, *, activity: bool = True
) -> StaffUser | None:
    """The signed-in member of staff, or None once the session has ended or timed out.

    `activity=False` for a request nobody made (the tracker refreshing itself every 30
    seconds): it is answered while the session lasts, but does not keep it alive, so the
    idle timeout ends a session left open on the tracker.
    """
    if not token:
        return None
    found = session.scalar(
        select(StaffSession).where(StaffSession.token_hash == _token_hash(token))
    )
    if found is None or found.ended_at is not None:
        return None
    if now - found.last_seen_at > IDLE_TIMEOUT or now - found.created_at > ABSOLUTE_TIMEOUT:
        found.ended_at = now
        return None
    if found.staff.disabled_at is not None:
        found.ended_at = now
        return None
    if activity:
        found.last_seen_at = now
    return found.staff


def end_session(session: Session, token: str | None, now: dt.datetime) -> None:
    if token:
        session.execute(
            update(StaffSession)
            .where(StaffSession.token_hash == _token_hash(token), StaffSession.ended_at.is_(None))
            .values(ended_at=now)
        )


def _end_all_sessions(session: Session, user: StaffUser, now: dt.datetime) -> None:
    session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def _changeable(session: Session, email: str, by: StaffUser | None) -> StaffUser:
    user = find(session, email)
    if user is None:
        raise AccountError("no_such_account")
    if by is not None and by.id == user.id:
        raise AccountError("own_account")  # another admin does it: never locked out alone
    return user


def disable(
    session: Session, email: str, now: dt.datetime, *, by: StaffUser | None = None
) -> StaffUser:
    user = _changeable(session, email, by)
    if user.disabled_at is None:
        user.disabled_at = now
    _end_all_sessions(session, user, now)
    _audit(session, "disabled", user, by, now)
    return user


def enable(
    session: Session, email: str, now: dt.datetime, *, by: StaffUser | None = None
) -> StaffUser:
    user = _changeable(session, email, by)
    user.disabled_at = None
    _audit(session, "enabled", user, by, now)
    return user


def reset(
    session: Session, email: str, *, by: StaffUser, desk: Desk, now: dt.datetime
) -> tuple[StaffUser, str]:
    """A new password and authenticator, chosen by the owner through a new one-time link: the
    old password, authenticator, sessions and links stop working at once.

    Returned with the reset code, shown once to admin, who gives it to the owner by phone or
    in person having checked who they are: the link asks for it, so whoever reads the owner's
    mailbox cannot take the account with the link alone (ASVS 5.0 6.4.3)."""
    user = _changeable(session, email, by)
    if user.disabled_at is not None:
        raise AccountError("disabled")
    user.password_hash = NOTHING_MATCHES
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = 0
    user.enrolled_at = None
    _end_all_sessions(session, user, now)
    _audit(session, "reset", user, by, now)
    code = new_reset_code()
    _send_link(session, user, by, desk, now, reset=True, code=code)
    return user, code


def reset_second_factor(session: Session, email: str, now: dt.datetime) -> StaffUser:
    """A new TOTP secret (the command line shows it). It does not bypass the second factor:
    the next sign-in needs the new code, and every session signed in with the old one ends."""
    user = _changeable(session, email, None)
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = 0
    _end_all_sessions(session, user, now)
    _audit(session, "second_factor_reset", user, None, now)
    return user
