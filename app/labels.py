"""The app's own coded values in words: one place for every label a page shows.

The rules return codes (kinds, stages, channels, roles, event kinds, refusals); the faces say
them through these maps, so no page shows a raw code and no event stores display text. The
child's wording of a choice (by age band where it differs) and its symbol live here too.
"""

from __future__ import annotations

from typing import Any

from app.contacts import Lateness, Refusal, Stage
from app.i18n import lazy_gettext as _l
from app.roles import Role

Labels = dict[str, Any]  # a code and its words (lazy gettext strings)

# The three kinds of message: staff words, and the child's words by age band.
KINDS: Labels = {"kept_well": _l("Kept well"), "not_kept": _l("Not kept"), "praise": _l("Praise")}
CHILD_KINDS: dict[str, Labels] = {
    "10_plus": {
        "kept_well": _l("A promise was kept really well"),
        "not_kept": _l("A promise was not kept, or I am unhappy with my support"),
        "praise": _l("Someone worked hard for me and should be praised"),
    },
    "5_to_9": {
        "kept_well": _l("Someone kept a promise really well"),
        "not_kept": _l("Someone did not keep a promise"),
        "praise": _l("Say well done to someone who helped me"),
    },
    "under_5": {
        "kept_well": _l("Something good happened"),
        "not_kept": _l("Something was not right"),
        "praise": _l("Say thank you to someone"),
    },
}

STAGES = {
    Stage.SENT: _l("Sent"),
    Stage.READ: _l("Read"),
    Stage.WITH_PERSON: _l("With a named person"),
    Stage.TALKED: _l("We have talked"),
    Stage.SORTING: _l("Sorting it out"),
    Stage.FINISHED: _l("Finished"),
}

CHANNELS: Labels = {
    "app": _l("In the app"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "in_person": _l("In person"),
}

AGE_BANDS: Labels = {
    "under_5": _l("Under 5"),
    "5_to_9": _l("5 to 9"),
    "10_plus": _l("10 and over"),
}

HELPERS: Labels = {
    "nobody": _l("Nobody"),
    "carer": _l("A carer"),
    "social_worker": _l("Their social worker"),
    "iro": _l("Their IRO"),
    "advocate": _l("An advocate"),
    "someone_else": _l("Someone else"),
}
CHILD_HELPERS: Labels = {
    "nobody": _l("Nobody: I wrote it myself"),
    "carer": _l("My carer"),
    "social_worker": _l("My social worker"),
    "iro": _l("My IRO"),
    "advocate": _l("An advocate"),
    "someone_else": _l("Someone else"),
}

PRAISE_ROLES: Labels = {
    "social_worker": _l("My social worker"),
    "carer": _l("My carer"),
    "iro": _l("My independent reviewing officer (IRO)"),
    "teacher": _l("My teacher"),
    "someone_else": _l("Someone else"),
}

# How the child would like us to get back to them, and what helps them talk.
REACH_HOW: Labels = {
    "phone": _l("Phone call"),
    "text": _l("Text message"),
    "email": _l("Email"),
    "social_worker": _l("Through my social worker"),
    "carer": _l("Through my carer"),
    "iro": _l("Through my IRO"),
    "app_only": _l("Only in this app: I want to stay anonymous"),
}
YES_NO: Labels = {"yes": _l("Yes"), "no": _l("No")}
YES_NO_NOT_SURE: Labels = {**YES_NO, "not_sure": _l("I'm not sure")}
HELPS: Labels = {
    "symbols": _l("Symbols or pictures"),
    "bsl": _l("British Sign Language (BSL)"),
    "someone_with_me": _l("Having someone with me"),
    "more_time": _l("More time"),
}
FEEDBACK: Labels = {"yes": _l("Yes"), "not_sure": _l("Not sure"), "no": _l("No")}

# The child's answers about reaching them, as staff read them: the question, then the answer.
REACH_FIELDS: Labels = {
    "name": _l("Name"),
    "how": _l("How to get back to them"),
    "phone": _l("Phone number"),
    "email": _l("Email address"),
    "best_time": _l("A good time to talk"),
    "leave_message": _l("May we leave a message"),
    "language": _l("Language"),
    "interpreter": _l("Would like an interpreter"),
    "helps": _l("What helps them talk"),
    "helps_other": _l("Anything else that helps"),
    "advocate": _l("Would like an advocate"),
}
REACH_ANSWERS: dict[str, Labels] = {
    "how": REACH_HOW,
    "leave_message": YES_NO,
    "interpreter": YES_NO,
    "helps": HELPS,
    "advocate": YES_NO_NOT_SURE,
}

# Every coded answer of the message, in the child's words, for "check your answers".
CHILD_ANSWERS: dict[str, Labels] = {
    **REACH_ANSWERS,
    "praise_role": PRAISE_ROLES,
    "helper": CHILD_HELPERS,
}

ROLES = {
    Role.CUSTOMER_RELATIONS: _l("Customer relations"),
    Role.CUSTOMER_RELATIONS_LEAD: _l("Customer relations lead"),
    Role.HEAD_OF_SERVICE: _l("Head of Service"),
    Role.SENIOR_MANAGER: _l("Senior manager"),
    Role.VIC: _l("Voice, influence and change"),
    Role.ADMIN: _l("Administrator"),
    Role.IRO: _l("Independent reviewing officer"),
}
# Who will talk to the child, as their status page says it: "Sam, a senior manager, ...".
CHILD_ROLES = {
    Role.HEAD_OF_SERVICE: _l("a Head of Service"),
    Role.SENIOR_MANAGER: _l("a senior manager"),
}

# How a conversation, or a try at one, happened.
HOW: Labels = {
    "phone": _l("Phone call"),
    "in_person": _l("In person"),
    "video": _l("Video call"),
    "text": _l("Text message"),
    "email": _l("Email"),
    "through_someone": _l("Through someone"),
}
CLOSE_REASONS: Labels = {
    "could_not_reach": _l("We could not reach the child after the tries recorded"),
    "child_asked_to_stop": _l("The child asked us to stop"),
}

EVENTS: Labels = {
    "sent": _l("Message received"),
    "read": _l("Read"),
    "more_info_asked": _l("More information asked"),
    "allocated": _l("Allocated"),
    "contact_failed": _l("A try to reach the child failed"),
    "spoke_to_child": _l("Spoke to the child"),
    "safeguarding_concern": _l("Safeguarding concern"),
    "shared": _l("Shared with someone"),
    "note": _l("Note"),
    "update_for_child": _l("Update for the child"),
    "closed": _l("Closed"),
    "feedback_asked": _l("Feedback asked"),
    "feedback_given": _l("Feedback given"),
    "reopened": _l("Reopened"),
    "child_added": _l("The child added to their message"),
    "child_not_safe": _l("The child does not feel safe"),
    "praise_passed_on": _l("Praise passed on"),
    "close_proposed": _l("Closing proposed"),
    "marked_urgent": _l("Marked urgent"),
    "urgent_lifted": _l("No longer urgent"),
    "app_words_given": _l("Reference and words for the app given"),
    "about_recorded": _l("Recorded who or which team it is about"),
    "handed_over": _l("Handed over to the formal complaint process (Stage 1)"),
    "replied_in_app": _l("Replied in the app"),
    "reply_read": _l("The child opened the reply in the app"),
}
# What the audit trail records, in words; "event:<kind>" is said with EVENTS (`audit_action`).
AUDIT_ACTIONS: Labels = {
    "viewed_tracker": _l("Looked at the tracker"),
    "viewed_contact": _l("Opened a contact"),
    "logged_contact": _l("Logged a contact"),
    "refused": _l("Was refused a page or action"),
    "refused_by_rule": _l("An action was refused by the rules"),
    "shown_app_words": _l("Was shown a child's words for the app"),
    "viewed_app_words": _l("Looked at a child's words for the app"),
    "signed_in": _l("Signed in"),
    "signed_out": _l("Signed out"),
    "sign_in_failed": _l("A sign-in failed"),
    "sign_in_throttled": _l("A sign-in was held back after wrong tries"),
    "viewed_mail_problems": _l("Looked at the emails that could not be sent"),
    "viewed_audit": _l("Looked at the audit trail"),
    "exported_audit": _l("Exported the audit trail"),
    # Rows written before accounts were made in the browser (app/staff_accounts.py).
    "account:disable": _l("Disabled an account"),
    "account:reset-2fa": _l("Reset an account's second factor"),
    "account:created": _l("Made an account"),
    "account:disabled": _l("Disabled an account"),
    "account:enabled": _l("Enabled an account"),
    "account:reset": _l("Reset an account's password and authenticator"),
    "account:team_changed": _l("Changed an account's team"),
    "account:password_chosen": _l("Chose their password from a one-time link"),
    "account:enrolled": _l("Enrolled their authenticator"),
    "account:reset_code_wrong": _l("Typed a wrong reset code on a one-time link"),
    "account:second_factor_reset": _l("Reset an account's second factor (command line)"),
    "report_exported": _l("Exported the report as CSV"),
    "awareness_recorded": _l("Recorded promise awareness at a review"),
    "you_said_written": _l("Wrote a “you said, we did” item"),
    "you_said_published": _l("Published a “you said, we did” item"),
    "you_said_withdrawn": _l("Withdrew a “you said, we did” item"),
    "subject_access_export": _l("Exported everything held about a contact"),
    "retention_removed_words": _l("Removed a finished contact's words and contact details"),
}
EVENT_ACTION = "event:"


def audit_action(code: str) -> Any:
    """An audit row's action in words; one nobody has named yet is said plainly, not raw."""
    if code.startswith(EVENT_ACTION):
        kind = code.removeprefix(EVENT_ACTION)
        return _l("Recorded: %(event)s", event=EVENTS.get(kind, kind.replace("_", " ")))
    return AUDIT_ACTIONS.get(code, code.replace("_", " ").replace(":", ": ").capitalize())


# The facts an event keeps, as the timeline names them.
EVENT_DETAILS: Labels = {
    "how": _l("How"),
    "reached": _l("Reached the child"),
    "name": _l("To"),
    "who": _l("Who"),
    "their_role": _l("Their role"),
    "themes": _l("Themes"),
    "reason": _l("Why without speaking to the child"),
    "listened": _l("Felt listened to"),
    "heard": _l("Felt heard"),
    "happy": _l("Happy with what happened"),
    "role": _l("Role"),
    "asked_by": _l("Asked by"),
    "team_name": _l("Team it is about"),
    "person": _l("Member of staff it is about"),
    "agreed": _l("The child agreed"),
}
# The coded facts' values, by the fact they belong to.
EVENT_DETAIL_VALUES: dict[str, Labels] = {
    "how": HOW,
    "reason": CLOSE_REASONS,
    "listened": FEEDBACK,
    "heard": FEEDBACK,
    "happy": FEEDBACK,
    "role": {role.value: label for role, label in ROLES.items()},
    "agreed": YES_NO,
}

# The tracker's filters ("no update for N working days" is said with the council's N).
TRACKER_FILTERS: Labels = {
    "urgent": _l("Urgent"),
    "late": _l("Late"),
    "due_today": _l("Due today"),
    "unallocated": _l("Not yet allocated"),
    "mine": _l("Mine"),
    "proposed": _l("Proposed for closing"),
    "quiet": _l("No update for some working days"),
}

LATENESS = {
    Lateness.MET: _l("Spoken to in time"),
    Lateness.MET_LATE: _l("Spoken to after the deadline"),
    Lateness.LATE: _l("Late"),
    Lateness.DUE_SOON: _l("Due soon"),
    Lateness.ON_TIME: _l("On time"),
    Lateness.STOPPED: _l("Closed without speaking to the child"),
}

# Pictures beside answers: the three kinds of message (in symbol mode), and the faces of
# "How did we do?" (always, so the answers are big and friendly).
CHOICE_SYMBOLS: dict[str, str] = {
    "kept_well": "👍",
    "not_kept": "👎",
    "praise": "🏆",
    "yes": "😊",
    "not_sure": "🤔",
    "no": "🙁",
}


def label(labels: Labels, code: Any) -> Any:
    """The words for `code`; a code with no words is shown as "–", never raw."""
    return labels.get(code, "–")


# What a member of staff reads when the rules refuse an action: every code, in words.
STAFF_REFUSALS = {
    Refusal.UNKNOWN_KIND: _l("Choose what the message is about."),
    Refusal.UNKNOWN_PROMISE: _l("Choose a promise, or “Something else”."),
    Refusal.UNKNOWN_HELPER: _l("Choose who helped the child."),
    Refusal.UNKNOWN_CHANNEL: _l("Choose how it came in."),
    Refusal.NO_WORDS: _l("Write what the child said."),
    Refusal.TOO_LONG: _l("This is too long to keep. Make it shorter."),
    Refusal.NO_PRAISE_NAME: _l("Write who the child wants to praise."),
    Refusal.ALREADY_SENT: _l("This contact has been logged already."),
    Refusal.UNKNOWN_EVENT: _l("That is not something that can be recorded."),
    Refusal.ALREADY_READ: _l("This contact has been read already."),
    Refusal.FINISHED: _l("This contact is finished. Reopen it first."),
    Refusal.ALREADY_CLOSED: _l("This contact is closed already."),
    Refusal.NOT_FINISHED: _l("This contact is not closed yet."),
    Refusal.NOT_SPOKEN_TO: _l(
        "Nobody has spoken to the child yet. Record that we spoke to them, or choose why it "
        "closes without: the child could not be reached, or asked us to stop."
    ),
    Refusal.NO_TRIES_RECORDED: _l(
        "Record the tries to reach the child that failed before closing it for that reason."
    ),
    Refusal.FEEDBACK_ALREADY_GIVEN: _l("The child has already told us how we did."),
    Refusal.UNKNOWN_ANSWER: _l("Choose one of the answers."),
    Refusal.NOT_PRAISE: _l("Only praise can be passed on."),
    Refusal.BAD_EMAIL: _l("Check the email addresses of the person praised and their manager."),
    Refusal.UNKNOWN_STAFF: _l("Choose a senior manager or Head of Service with an account."),
    Refusal.IN_THE_FUTURE: _l("That time has not come yet. Enter when it happened."),
    Refusal.BEFORE_THE_MESSAGE: _l("That is before the message came in. Check the date."),
    Refusal.ALREADY_URGENT: _l("This contact is marked urgent already."),
    Refusal.NOT_URGENT: _l("This contact is not marked urgent."),
    Refusal.SPEAK_TO_CHILD_FIRST: _l(
        "Not yet: we speak to the child first, before anyone else. Record that we spoke to "
        "the child, or a safeguarding concern with its reason (senior roles), first."
    ),
    Refusal.SENIOR_ROLE_NEEDED: _l(
        "Only a Head of Service, a senior manager or the customer relations lead can record this."
    ),
    Refusal.REASON_NEEDED: _l("Write the reason in words."),
    Refusal.UNKNOWN_TEAM: _l("Choose one of the council's teams."),
    Refusal.ABOUT_THEIR_TEAM: _l(
        "Not them: this contact is about their own team. Choose someone from another team."
    ),
    Refusal.ABOUT_THEM: _l("Not them: this contact is about them. Choose someone else."),
    Refusal.NOT_A_COMPLAINT: _l("Only a promise not kept can go to the formal complaint process."),
    Refusal.ALREADY_HANDED_OVER: _l(
        "This contact has been handed over to the formal complaint process already."
    ),
    Refusal.ASK_THE_CHILD_FIRST: _l(
        "Speak to the child first, and ask them: it is handed over only if they agree."
    ),
    Refusal.CHILD_DID_NOT_AGREE: _l(
        "The child did not agree, so it stays with us. Record what they said as a note."
    ),
    Refusal.CHILD_HAS_OTHER_WAY: _l(
        "The child told us how to reach them: call or write to them that way, then record "
        "that we spoke to them. A reply in the app is for a child we can only reach there."
    ),
    Refusal.NOT_IN_APP: _l(
        "The child cannot open this contact in the app yet. Give them a reference and words "
        "for the app first."
    ),
    Refusal.WORDS_NEEDED: _l("Write it in words: the child reads it."),
    Refusal.CHILD_ONLY: _l("Only the child can do this, in the app."),
    Refusal.NOTHING_UNREAD: _l("There is no reply the child has not opened."),
    Refusal.UNKNOWN_QUESTION: _l("That question was not asked on this contact."),
    Refusal.ALREADY_ANSWERED: _l("The child has already answered that question."),
}

# What a child reads when the rules refuse what they sent: every code that can reach a child.
CHILD_REFUSALS = {
    Refusal.UNKNOWN_KIND: _l("Choose what you want to tell us."),
    Refusal.UNKNOWN_PROMISE: _l("Choose a promise, or choose “Something else”."),
    Refusal.UNKNOWN_HELPER: _l("Choose who helped you, or “Nobody”."),
    Refusal.UNKNOWN_CHANNEL: _l("Something went wrong on our side. Please try again."),
    Refusal.NO_WORDS: _l("Tell us what happened in words. Your message has no words in it yet."),
    Refusal.TOO_LONG: _l(
        "Your message is too long. Make it shorter, or send the rest as an extra message "
        "after this one. Nothing you wrote has been lost."
    ),
    Refusal.NO_PRAISE_NAME: _l("Tell us who you want to praise."),
    Refusal.ALREADY_SENT: _l(
        "This message has already been sent. You can see it in “My messages” on the phone "
        "that sent it, or with its reference and three words."
    ),
    Refusal.UNKNOWN_EVENT: _l("Something went wrong on our side. Please try again."),
    Refusal.ALREADY_READ: _l("We have already read your message."),
    Refusal.FINISHED: _l(
        "This message is finished, so we cannot add to it. You can send us a new message."
    ),
    Refusal.ALREADY_CLOSED: _l("This message is finished."),
    Refusal.NOT_FINISHED: _l("You can tell us how we did when your message is finished."),
    Refusal.NOT_SPOKEN_TO: _l("Something went wrong on our side. Please try again."),
    Refusal.NO_TRIES_RECORDED: _l("Something went wrong on our side. Please try again."),
    Refusal.FEEDBACK_ALREADY_GIVEN: _l("You have already told us how we did. Thank you."),
    Refusal.UNKNOWN_ANSWER: _l("Choose one of the answers for each question."),
    Refusal.NOT_PRAISE: _l("Something went wrong on our side. Please try again."),
    Refusal.BAD_EMAIL: _l("Something went wrong on our side. Please try again."),
    Refusal.UNKNOWN_STAFF: _l("Something went wrong on our side. Please try again."),
    Refusal.IN_THE_FUTURE: _l("Something went wrong on our side. Please try again."),
    Refusal.BEFORE_THE_MESSAGE: _l("Something went wrong on our side. Please try again."),
    Refusal.ALREADY_URGENT: _l("Something went wrong on our side. Please try again."),
    Refusal.NOT_URGENT: _l("Something went wrong on our side. Please try again."),
    Refusal.SPEAK_TO_CHILD_FIRST: _l("Something went wrong on our side. Please try again."),
    Refusal.SENIOR_ROLE_NEEDED: _l("Something went wrong on our side. Please try again."),
    Refusal.REASON_NEEDED: _l("Something went wrong on our side. Please try again."),
    Refusal.UNKNOWN_TEAM: _l("Something went wrong on our side. Please try again."),
    Refusal.ABOUT_THEIR_TEAM: _l("Something went wrong on our side. Please try again."),
    Refusal.ABOUT_THEM: _l("Something went wrong on our side. Please try again."),
    Refusal.NOT_A_COMPLAINT: _l("Something went wrong on our side. Please try again."),
    Refusal.ALREADY_HANDED_OVER: _l("Something went wrong on our side. Please try again."),
    Refusal.ASK_THE_CHILD_FIRST: _l("Something went wrong on our side. Please try again."),
    Refusal.CHILD_DID_NOT_AGREE: _l("Something went wrong on our side. Please try again."),
    Refusal.CHILD_HAS_OTHER_WAY: _l("Something went wrong on our side. Please try again."),
    Refusal.NOT_IN_APP: _l("Something went wrong on our side. Please try again."),
    Refusal.WORDS_NEEDED: _l("Something went wrong on our side. Please try again."),
    Refusal.CHILD_ONLY: _l("Something went wrong on our side. Please try again."),
    Refusal.NOTHING_UNREAD: _l("Something went wrong on our side. Please try again."),
    Refusal.UNKNOWN_QUESTION: _l(
        "We could not find that question. Look at your message again to see what we asked."
    ),
    Refusal.ALREADY_ANSWERED: _l(
        "You have already answered this question. Thank you. You can add anything else with "
        "“Forgot to say something?”."
    ),
}
