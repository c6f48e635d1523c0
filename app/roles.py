"""Staff roles and what each may do (DESIGN.md, "Staff roles"). Deny by default."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CUSTOMER_RELATIONS = "customer_relations"
    HEAD_OF_SERVICE = "head_of_service"
    SENIOR_MANAGER = "senior_manager"
    VIC = "vic"  # voice, influence and change: reports only
    ADMIN = "admin"  # accounts only, never contact content


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
    MARK_URGENT = "mark_urgent"  # with the reason: first in the tracker, people emailed at once
    GIVE_APP_WORDS = "give_app_words"  # a reference and words, for a child to follow it in the app
    REPORTS = "reports"
    AUDIT = "audit"
    ACCOUNTS = "accounts"
    SEE_MAIL_PROBLEMS = "see_mail_problems"  # emails the outbox gave up on: addresses, subjects


_CASEWORK = {
    Can.SEE_CONTACTS,
    Can.RECORD_CONTACT,
    Can.NOTE,
    Can.UPDATE_CHILD,
    Can.MARK_URGENT,
    Can.GIVE_APP_WORDS,
}

PERMISSIONS: dict[Role, frozenset[Can]] = {
    Role.CUSTOMER_RELATIONS: frozenset(
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
        }
    ),
    Role.HEAD_OF_SERVICE: frozenset(
        _CASEWORK
        | {
            Can.SEE_ALL_CONTACTS,
            Can.LOG_CONTACT,
            Can.MARK_READ,
            Can.ASK_MORE_INFO,
            Can.ALLOCATE,
            Can.SAFEGUARDING,
            Can.SHARE,
            Can.CLOSE,
            Can.ASK_FEEDBACK,
            Can.RECORD_FEEDBACK,
            Can.REOPEN,
            Can.REPORTS,
            Can.AUDIT,
            Can.SEE_MAIL_PROBLEMS,
        }
    ),
    Role.SENIOR_MANAGER: frozenset(_CASEWORK | {Can.SAFEGUARDING, Can.SHARE, Can.PROPOSE_CLOSE}),
    Role.VIC: frozenset({Can.REPORTS}),
    Role.ADMIN: frozenset({Can.ACCOUNTS, Can.AUDIT, Can.SEE_MAIL_PROBLEMS}),
}

# Who may record a safeguarding concern, which lifts the first-contact rule.
SENIOR = frozenset({Role.HEAD_OF_SERVICE, Role.SENIOR_MANAGER})


def can(role: Role | str, permission: Can) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False
