"""Every reason the rules can refuse something, as a code the faces put into words.

The list is closed (an enum), so a test can ask each face to say every one of them: no
refusal ever reaches a child or a member of staff as silence or as a raw code.
"""

from __future__ import annotations

from enum import StrEnum


class Refusal(StrEnum):
    # What a message must have
    UNKNOWN_KIND = "unknown_kind"
    UNKNOWN_PROMISE = "unknown_promise"
    UNKNOWN_HELPER = "unknown_helper"
    UNKNOWN_CHANNEL = "unknown_channel"
    NO_WORDS = "no_words"
    TOO_LONG = "too_long"
    NO_PRAISE_NAME = "no_praise_name"
    ALREADY_SENT = "already_sent"  # a submission key replayed by someone who did not send it
    # When an event may be recorded
    UNKNOWN_EVENT = "unknown_event"
    ALREADY_READ = "already_read"
    FINISHED = "finished"
    ALREADY_CLOSED = "already_closed"
    NOT_FINISHED = "not_finished"
    NOT_SPOKEN_TO = "not_spoken_to"
    NO_TRIES_RECORDED = "no_tries_recorded"
    FEEDBACK_ALREADY_GIVEN = "feedback_already_given"
    UNKNOWN_ANSWER = "unknown_answer"
    NOT_PRAISE = "not_praise"
    BAD_EMAIL = "bad_email"  # an address to send a thank-you to that cannot be one
    UNKNOWN_STAFF = "unknown_staff"
    IN_THE_FUTURE = "in_the_future"
    BEFORE_THE_MESSAGE = "before_the_message"
    ALREADY_URGENT = "already_urgent"
    NOT_URGENT = "not_urgent"
    # Answering in the app
    CHILD_HAS_OTHER_WAY = "child_has_other_way"
    NOT_IN_APP = "not_in_app"
    WORDS_NEEDED = "words_needed"
    CHILD_ONLY = "child_only"
    NOTHING_UNREAD = "nothing_unread"
    UNKNOWN_QUESTION = "unknown_question"
    ALREADY_ANSWERED = "already_answered"
    # The first-contact rule and safeguarding
    SPEAK_TO_CHILD_FIRST = "speak_to_child_first"
    SENIOR_ROLE_NEEDED = "senior_role_needed"
    REASON_NEEDED = "reason_needed"
    # Fair and joined up (contacts/fairness.py)
    UNKNOWN_TEAM = "unknown_team"
    ABOUT_THEIR_TEAM = "about_their_team"
    ABOUT_THEM = "about_them"
    NOT_A_COMPLAINT = "not_a_complaint"
    ALREADY_HANDED_OVER = "already_handed_over"
    ASK_THE_CHILD_FIRST = "ask_the_child_first"
    CHILD_DID_NOT_AGREE = "child_did_not_agree"


class Refused(Exception):
    """The rules refuse this; `code` says why, for the page to put into words."""

    def __init__(self, code: Refusal) -> None:
        super().__init__(code.value)
        self.code = code
