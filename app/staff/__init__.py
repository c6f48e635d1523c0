"""The staff face: sign-in, the tracker, the contact page, reports, accounts and audit."""

from app.staff import admin, auth, contact, reports, tracker
from app.staff.blueprint import bp

__all__ = ["admin", "auth", "bp", "contact", "reports", "tracker"]
