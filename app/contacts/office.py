"""What the rules need to know of the council that runs them and of this deployment."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from app.deadlines import Clock
from app.models import Contact


@dataclass(frozen=True)
class Office:
    clock: Clock  # the 48-hour clock and the working calendar
    promise_keys: Collection[str]  # the council's promises, by key
    mailbox: str  # where customer relations read new and urgent messages
    service: str  # what staff call the service in emails: "New Tell Us message ABC123"
    base_url: str  # where links in staff emails point
    complaints: str  # the formal complaint process's address (Stage 1 hand-overs)
    teams: Mapping[str, str]  # the council's teams: key -> name

    def link(self, contact: Contact) -> str:
        return self.link_to(str(contact.id))

    def link_to(self, contact_id: str) -> str:
        return f"{self.base_url.rstrip('/')}/staff/contacts/{contact_id}"
