"""The staff face: sign-in, tracker, contact page, reports, accounts, audit, mail problems."""

from app.staff import admin, auth, contact, log, mail, reports, tracker
from app.staff.blueprint import bp

__all__ = ["admin", "auth", "bp", "contact", "log", "mail", "reports", "tracker"]
