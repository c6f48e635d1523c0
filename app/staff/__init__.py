"""The staff face: sign-in, tracker, contact page, reports, accounts, audit, mail problems."""

from app.staff import (
    admin,
    audit_trail,
    auth,
    closing_loop,
    contact,
    log,
    mail,
    reports,
    subject_access,
    tracker,
)
from app.staff.blueprint import bp

__all__ = [
    "admin",
    "audit_trail",
    "auth",
    "bp",
    "closing_loop",
    "contact",
    "log",
    "mail",
    "reports",
    "subject_access",
    "tracker",
]
