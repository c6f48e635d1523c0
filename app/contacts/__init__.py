"""The rules of a contact: a message arriving, who may see it, what may happen to it when,
what each event causes, where it is, and whether it is late.

The faces call these functions; nothing here knows about requests or pages. Refusals are
codes (`Refused.code`, one of `Refusal`), and the faces say them in words.
"""

from app.contacts.access import (
    LOOKUP_PER_ADDRESS,
    LOOKUP_PER_REFERENCE,
    REFERENCE_ALPHABET,
    Locked,
    contact_for,
    contacts_for,
    grant_access,
    new_access_secret,
    normalise_reference,
    open_with_words,
    revoke_access,
)
from app.contacts.events import (
    CHILD,
    CLOSE_REASONS,
    EVENT_KINDS,
    FEEDBACK_ANSWERS,
    WHEN,
    By,
    add_to_message,
    allowed,
    give_feedback,
    mark_not_safe,
    may_share,
    record,
)
from app.contacts.intake import (
    CHANNELS,
    HELPERS,
    KINDS,
    OTHER,
    REACH_KEYS,
    SUPPORT_KEYS,
    Answers,
    sent_before,
    submit,
)
from app.contacts.lateness import Lateness, Window
from app.contacts.office import Office
from app.contacts.refusals import Refusal, Refused
from app.contacts.status import Stage, Status, Update, status
from app.contacts.text import SHORT_LIMIT, WORDS_LIMIT, has_visible_words, kept, plain

__all__ = [
    "CHANNELS",
    "CHILD",
    "CLOSE_REASONS",
    "EVENT_KINDS",
    "FEEDBACK_ANSWERS",
    "HELPERS",
    "KINDS",
    "LOOKUP_PER_ADDRESS",
    "LOOKUP_PER_REFERENCE",
    "OTHER",
    "REACH_KEYS",
    "REFERENCE_ALPHABET",
    "SHORT_LIMIT",
    "SUPPORT_KEYS",
    "WHEN",
    "WORDS_LIMIT",
    "Answers",
    "By",
    "Lateness",
    "Locked",
    "Office",
    "Refusal",
    "Refused",
    "Stage",
    "Status",
    "Update",
    "Window",
    "add_to_message",
    "allowed",
    "contact_for",
    "contacts_for",
    "give_feedback",
    "grant_access",
    "has_visible_words",
    "kept",
    "mark_not_safe",
    "may_share",
    "new_access_secret",
    "normalise_reference",
    "open_with_words",
    "plain",
    "record",
    "revoke_access",
    "sent_before",
    "status",
    "submit",
]
