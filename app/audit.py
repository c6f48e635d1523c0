"""The audit trail: every staff view of a contact and every action, with who and when.

Never the child's words, contact details or an access secret: only ids, kinds and names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from app.models import AuditEvent, Contact, StaffUser


def record(
    session: Session,
    action: str,
    *,
    now: dt.datetime,
    staff: StaffUser | None = None,
    actor: str | None = None,
    contact: Contact | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            at=now,
            staff_id=staff.id if staff else None,
            actor=staff.email if staff else (actor or "unknown"),
            action=action,
            contact_id=contact.id if contact else None,
            details=details or {},
        )
    )
