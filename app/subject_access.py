"""Subject access: everything held about one contact, for the child (or someone acting for them)
who asks (UK GDPR article 15). Rules only: the staff face serves it as JSON and as a printable
page, and audits the export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Contact, PushSubscription


def _when(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def everything(session: Session, contact: Contact) -> dict[str, Any]:
    """The contact as stored (the child's words and contact details decrypted), its history,
    the devices that could open it, and every time staff viewed or changed it. Never an access
    secret or its hash."""
    pushes = session.scalars(
        select(PushSubscription.created_at).where(PushSubscription.contact_id == contact.id)
    ).all()
    trail = session.scalars(
        select(AuditEvent).where(AuditEvent.contact_id == contact.id).order_by(AuditEvent.id)
    ).all()
    return {
        "reference": contact.reference,
        "kind": contact.kind,
        "channel": contact.channel,
        "age_band": contact.age_band,
        "helper": contact.helper,
        "urgent": contact.urgent,
        "praise_may_pass_on": contact.praise_may_pass_on,
        "praise_role": contact.praise_role,
        "promises": contact.promise_keys,
        "message": contact.message,
        "how_to_reach": contact.reach,
        "received_at": _when(contact.received_at),
        "due_at": _when(contact.due_at),
        "first_contact_at": _when(contact.first_contact_at),
        "allocated_to": contact.allocated_to.name if contact.allocated_to else None,
        "words_removed_at": _when(contact.words_removed_at),
        "events": [
            {
                "kind": event.kind,
                "at": _when(event.at),
                "by": event.actor,
                "details": event.details,
                "text": event.text,
            }
            for event in contact.events
        ],
        "devices": [{"since": _when(access.created_at)} for access in contact.accesses],
        "notifications_since": [_when(moment) for moment in pushes],
        "viewed_and_changed_by": [
            {"at": _when(row.at), "who": row.actor, "action": row.action, "details": row.details}
            for row in trail
        ],
    }
