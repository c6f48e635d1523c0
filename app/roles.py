"""Staff roles and what each may do (DESIGN.md, "Staff roles"). Deny by default."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CUSTOMER_RELATIONS = "customer_relations"
    # Customer relations, and a senior role for the first-contact rule (DESIGN.md).
    CUSTOMER_RELATIONS_LEAD = "customer_relations_lead"
    HEAD_OF_SERVICE = "head_of_service"
    SENIOR_MANAGER = "senior_manager"
    VIC = "vic"  # voice, influence and change: reports only
    ADMIN = "admin"  # accounts only, never contact content
    IRO = "iro"  # independent reviewing officer: records promise awareness at reviews


class Can(StrEnum):
    SEE_ALL_CONTACTS = "see_all_contacts"  # otherwise only those allocated to them
    SEE_CONTACTS = "see_contacts"
    LOG_CONTACT = "log_contact"
    MARK_READ = "mark_read"
    ASK_MORE_INFO = "ask_more_info"
    ALLOCATE = "allocate"
    RECORD_CONTACT = "record_contact"  # a failed try, or that we spoke to the child
    SAFEGUARDING = "safeguarding"
    SHARE = "share"
    UPDATE_CHILD = "update_child"
    NOTE = "note"
    CLOSE = "close"
    PROPOSE_CLOSE = "propose_close"
    ASK_FEEDBACK = "ask_feedback"
    RECORD_FEEDBACK = "record_feedback"  # the child's three answers, given to staff
    REOPEN = "reopen"
    RECORD_ABOUT = "record_about"  # the team, or the member of staff, a contact is about
    HAND_OVER = "hand_over"  # to the council's formal complaint process, with the child's yes
    MARK_URGENT = "mark_urgent"  # with the reason: first in the tracker, people emailed at once
    GIVE_APP_WORDS = "give_app_words"  # a reference and words, for a child to follow it in the app
    REPORTS = "reports"
    AUDIT = "audit"
    EXPORT_AUDIT = "export_audit"  # the audit trail as CSV (Head of Service)
    ACCOUNTS = "accounts"
    SEE_MAIL_PROBLEMS = "see_mail_problems"  # emails the outbox gave up on: addresses, subjects
    EXACT_COUNTS = "exact_counts"  # the report's counts under 5 on screen (Head of Service)
    RECORD_AWARENESS = "record_awareness"  # at a review: was the promise shared? (IRO)
    PUBLISH_YOU_SAID = "publish_you_said"  # write and publish "you said, we did" items
    SUBJECT_ACCESS = "subject_access"  # everything held about one contact, exported


_CASEWORK = {
    Can.SEE_CONTACTS,
    Can.RECORD_CONTACT,
    Can.NOTE,
    Can.UPDATE_CHILD,
    Can.MARK_URGENT,
    Can.GIVE_APP_WORDS,
}

_CUSTOMER_RELATIONS = frozenset(
    _CASEWORK
    | {
        Can.SEE_ALL_CONTACTS,
        Can.LOG_CONTACT,
        Can.MARK_READ,
        Can.ASK_MORE_INFO,
        Can.CLOSE,
        Can.ASK_FEEDBACK,
        Can.RECORD_FEEDBACK,
        Can.REOPEN,
        Can.RECORD_ABOUT,
        Can.HAND_OVER,
    }
)

PERMISSIONS: dict[Role, frozenset[Can]] = {
    Role.CUSTOMER_RELATIONS: _CUSTOMER_RELATIONS,
    Role.CUSTOMER_RELATIONS_LEAD: _CUSTOMER_RELATIONS | {Can.SAFEGUARDING},
    # DESIGN.md: "all of the above" (customer relations), and more.
    Role.HEAD_OF_SERVICE: _CUSTOMER_RELATIONS
    | {
        Can.ALLOCATE,
        Can.SAFEGUARDING,
        Can.SHARE,
        Can.REPORTS,
        Can.AUDIT,
        Can.EXPORT_AUDIT,
        Can.SEE_MAIL_PROBLEMS,
        Can.EXACT_COUNTS,
        Can.PUBLISH_YOU_SAID,
        Can.SUBJECT_ACCESS,
    },
    Role.SENIOR_MANAGER: frozenset(_CASEWORK | {Can.SAFEGUARDING, Can.SHARE, Can.PROPOSE_CLOSE}),
    Role.VIC: frozenset({Can.REPORTS, Can.PUBLISH_YOU_SAID}),
    Role.ADMIN: frozenset({Can.ACCOUNTS, Can.AUDIT, Can.SEE_MAIL_PROBLEMS}),
    Role.IRO: frozenset({Can.RECORD_AWARENESS}),
}

# Who may record a safeguarding concern, which lifts the first-contact rule (DESIGN.md, "The
# first-contact rule": Head of Service, senior manager, or customer relations lead).
SENIOR = frozenset({Role.HEAD_OF_SERVICE, Role.SENIOR_MANAGER, Role.CUSTOMER_RELATIONS_LEAD})


def can(role: Role | str, permission: Can) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False
