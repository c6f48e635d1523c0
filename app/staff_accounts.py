"""Staff accounts: passwords (argon2id), a second factor at every sign-in (TOTP), sessions.

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
import secrets
import zoneinfo

import pyotp
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import outbox, throttle
from app.models import StaffSession, StaffUser
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


def find(session: Session, email: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))


def check_password_rules(password: str) -> None:
    """Long enough, and nothing else: no composition rules, paste allowed (ASVS 6.2)."""
    if len(password) < PASSWORD_MIN:
        raise AccountError("password_too_short")
    if len(password) > PASSWORD_MAX:
        raise AccountError("password_too_long")


def create(
    session: Session, email: str, *, role: str, password: str, name: str, now: dt.datetime
) -> StaffUser:
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError("bad_email")
    try:
        role = Role(role).value
    except ValueError:
        raise AccountError("unknown_role") from None
    check_password_rules(password)
    if find(session, email) is not None:
        raise AccountError("email_taken")
    user = StaffUser(
        email=email,
        name=name.strip() or email.split("@")[0],
        role=role,
        password_hash=hasher().hash(password),
        totp_secret=pyotp.random_base32(),
        totp_last_step=0,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


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
    local = now.astimezone(zone)
    outbox.queue(
        session,
        key=f"sign-in-failures:{owner.id}:{now:%Y-%m-%d}",
        recipient=owner.email,
        subject=f"Failed sign-ins to your {service} staff account",
        body=(
            f"{owner.name}, someone has tried to sign in to your {service} staff account "
            f"({owner.email}) with a wrong password or code several times, the latest at "
            f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y} ({zone.key} time). "
            "Further tries are now slowed down for a while.\n\n"
            "If it was you: wait a few minutes, then sign in as usual.\n\n"
            "If it was not you: nobody can sign in without both your password and the code "
            "from your authenticator app. Tell your admin today. If you think someone knows "
            "your password, they can reset your second factor or disable the account until "
            "it is safe.\n\n"
            "We will never ask for your password or a code by email. You will get at most one "
            "of these emails a day.\n"
        ),
        now=now,
    )


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


def disable(session: Session, email: str, now: dt.datetime) -> StaffUser:
    user = find(session, email)
    if user is None:
        raise AccountError("no_such_account")
    user.disabled_at = now
    _end_all_sessions(session, user, now)
    return user


def reset_second_factor(session: Session, email: str, now: dt.datetime) -> StaffUser:
    """A new TOTP secret. It does not bypass the second factor: the next sign-in needs the
    new code, and every session signed in with the old one ends."""
    user = find(session, email)
    if user is None:
        raise AccountError("no_such_account")
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = 0
    _end_all_sessions(session, user, now)
    return user
