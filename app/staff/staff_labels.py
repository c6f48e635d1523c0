"""Answers of the child's message in staff's words, for the log form and the contact page.

app/labels.py keeps the child's own ("My carer", "Through my social worker"), which the app's
steps show to the child; here the same codes as staff read and write them about the child.
Staff pages only: not translated until a council wants its staff pages in another language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import labels
from app.labels import Labels

# The same answers in staff's words, for the log form and the contact page: staff log a call
# about the child, not in the child's voice ("Their carer", not "My carer").
STAFF_PRAISE_ROLES: Labels = {
    "social_worker": _l("Their social worker"),
    "carer": _l("Their carer"),
    "iro": _l("Their independent reviewing officer (IRO)"),
    "teacher": _l("Their teacher"),
    "someone_else": _l("Someone else"),
}
STAFF_REACH_HOW: Labels = {
    "phone": _l("Phone call"),
    "text": _l("Text message"),
    "email": _l("Email"),
    "social_worker": _l("Through their social worker"),
    "carer": _l("Through their carer"),
    "iro": _l("Through their IRO"),
    "app_only": _l("Only in the app: they want to stay anonymous"),
}
STAFF_HELPS: Labels = {
    "symbols": _l("Symbols or pictures"),
    "bsl": _l("British Sign Language (BSL)"),
    "someone_with_me": _l("Having someone with them"),
    "more_time": _l("More time"),
}
STAFF_YES_NO_NOT_SURE: Labels = {**labels.YES_NO, "not_sure": _l("Not sure")}
# How to reach the child and what helps them talk, as the contact page reads them.
REACH_ANSWERS: dict[str, Labels] = {
    "how": STAFF_REACH_HOW,
    "leave_message": labels.YES_NO,
    "interpreter": labels.YES_NO,
    "helps": STAFF_HELPS,
    "advocate": STAFF_YES_NO_NOT_SURE,
}
