"""One contact for staff: the child's words (as the role may see), the timeline, the actions.

Every action is a plain form post to its own URL. The page offers only what the role may do
in the contact's stage, but the rules (app/contacts) decide: a forged post straight to an
action's URL meets the same refusal, said in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from app import audit, contacts, labels
from app.contacts import fairness, lateness
from app.council import current as council
from app.council import office
from app.extensions import db
from app.forms import BaseForm, CheckboxesField, Within, choices
from app.models import Contact, ContactEvent, StaffUser
from app.roles import SENIOR, Can, Role, can
from app.staff import staff_labels
from app.staff.auth import contact_or_403, requires, signed_in
from app.staff.blueprint import bp
from app.timekeeping import now

TEXT = Length(max=contacts.WORDS_LIMIT)
EMAIL_ADDRESS = Regexp(
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Write an email address, like name@example.com")
)


# Nothing this service records happened before it existed; a year 0001 is a slip of the keys.
EARLIEST = dt.datetime(2000, 1, 1)


def when_field() -> DateTimeLocalField:
    return DateTimeLocalField(
        _l("When did it happen? (leave empty for now)"),
        format="%Y-%m-%dT%H:%M",
        validators=[
            Optional(),
            Within(
                _l("Check the date: enter when it happened, from 2000 to now."), earliest=EARLIEST
            ),
        ],
    )


class NoFields(BaseForm):
    pass


class NoteForm(BaseForm):
    text = TextAreaField(_l("Note"), validators=[DataRequired(_l("Write the note")), TEXT])


class MoreInfoForm(BaseForm):
    text = TextAreaField(
        _l("The question for the child"),
        description=_l(
            "The child sees it on their status page in the app, with a box to answer it: write "
            "it for them, in plain words. Their answer comes here, under the question, and "
            "counts as reaching them."
        ),
        validators=[DataRequired(_l("Write the question")), TEXT],
    )
    reached = BooleanField(_l("We asked them ourselves and reached the child (a call, a visit)"))
    happened_at = when_field()


class ReplyForm(BaseForm):
    text = TextAreaField(
        _l("Your reply to the child"),
        description=_l(
            "The child reads it on their status page. Plain words; no names of others, no "
            "details they did not give us: phones are shared."
        ),
        validators=[DataRequired(_l("Write the reply")), TEXT],
    )


class HowForm(BaseForm):
    how = RadioField(
        _l("How?"), choices=choices(labels.HOW), validators=[InputRequired(_l("Choose how"))]
    )
    happened_at = when_field()
    text = TextAreaField(_l("Notes (optional)"), validators=[Optional(), TEXT])


class AllocateForm(BaseForm):
    # The rules say why a person cannot be given it (app/contacts/fairness.py), in words.
    staff_id = SelectField(
        _l("Allocate to"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose who it goes to"))],
    )


class SafeguardingForm(BaseForm):
    text = TextAreaField(
        _l("Why we are worried for the child's safety"),
        validators=[DataRequired(_l("Write the reason")), TEXT],
    )


class UrgentForm(BaseForm):
    text = TextAreaField(
        _l("Why it is urgent"),
        description=_l("Only staff read this. The emails say it is urgent, not why."),
        validators=[DataRequired(_l("Write why it is urgent")), TEXT],
    )


class NotUrgentForm(BaseForm):
    text = TextAreaField(
        _l("Why it is no longer urgent"),
        description=_l("Only staff read this. It stays in the timeline beside why it was urgent."),
        validators=[DataRequired(_l("Write why it is no longer urgent")), TEXT],
    )


FEEDBACK_CHOICES = choices(labels.FEEDBACK)
CHOOSE_ANSWER = _l("Choose their answer")


class FeedbackForm(BaseForm):
    """ "How did we do?", answered to a member of staff: the app's three questions."""

    listened = RadioField(
        _l("Did the child feel listened to?"),
        choices=FEEDBACK_CHOICES,
        validators=[InputRequired(CHOOSE_ANSWER)],
    )
    heard = RadioField(
        _l("Did they feel heard?"),
        choices=FEEDBACK_CHOICES,
        validators=[InputRequired(CHOOSE_ANSWER)],
    )
    happy = RadioField(
        _l("Are they happy with what happened?"),
        choices=FEEDBACK_CHOICES,
        validators=[InputRequired(CHOOSE_ANSWER)],
    )
    text = TextAreaField(
        _l("What the child said about it (optional)"), validators=[Optional(), TEXT]
    )
    how = RadioField(
        _l("How did they answer?"),
        choices=choices(labels.HOW),
        validators=[InputRequired(_l("Choose how"))],
    )
    asked_by = StringField(
        _l("Who asked them (leave empty if it was you)"),
        validators=[Optional(), Length(max=contacts.SHORT_LIMIT)],
    )
    happened_at = when_field()


class ShareForm(BaseForm):
    who = StringField(_l("Who with"), validators=[DataRequired(_l("Write who")), Length(max=120)])
    their_role = StringField(
        _l("Their role"), validators=[DataRequired(_l("Write their role")), Length(max=120)]
    )
    text = TextAreaField(_l("Why"), validators=[DataRequired(_l("Write why")), TEXT])


class UpdateForm(BaseForm):
    text = TextAreaField(
        _l("Update for the child"),
        description=_l("The child reads this on their status page. Plain words."),
        validators=[DataRequired(_l("Write the update")), TEXT],
    )


class CloseForm(BaseForm):
    text = TextAreaField(
        _l("What happened"),
        description=_l("The child reads this."),
        validators=[DataRequired(_l("Write what happened")), TEXT],
    )
    reason = RadioField(
        _l("If nobody has spoken to the child: why close it?"),
        choices=choices(labels.CLOSE_REASONS),
        validators=[Optional()],
    )
    themes = CheckboxesField(_l("Themes"), validators=[Optional()])


class AboutForm(BaseForm):
    # The rules check both (a council's team, an account that exists) and say why not.
    team = SelectField(_l("The team where the child said it happened"), validate_choice=False)
    staff_id = SelectField(
        _l("The member of staff the child named, if they have an account"),
        coerce=int,
        validate_choice=False,
    )


class HandOverForm(BaseForm):
    agreed = RadioField(
        _l("Did the child agree that it goes to the formal complaint process?"),
        choices=choices(labels.YES_NO),
        validators=[InputRequired(_l("Choose the child's answer"))],
    )
    asked_by = StringField(
        _l("Who asked them (leave empty if it was you)"),
        validators=[Optional(), Length(max=contacts.SHORT_LIMIT)],
    )
    happened_at = when_field()
    text = TextAreaField(_l("What the child said (optional)"), validators=[Optional(), TEXT])


class PraiseForm(BaseForm):
    who = StringField(
        _l("Passed on to"), validators=[DataRequired(_l("Write who")), Length(max=120)]
    )
    email = StringField(
        _l("Their email address"),
        description=_l("The thank-you is emailed to them: never the child's words or name."),
        validators=[DataRequired(_l("Write their email address")), EMAIL_ADDRESS],
    )
    manager_email = StringField(
        _l("Their manager's email address (optional)"), validators=[Optional(), EMAIL_ADDRESS]
    )


def _text(form: Any) -> str | None:
    return form.text.data if "text" in form else None


@dataclass(frozen=True)
class Action:
    label: Any
    permission: Can
    form: type[BaseForm]
    event: str
    details: Callable[[Any], dict[str, Any]] = lambda form: {}
    text: Callable[[Any], str | None] = _text
    hint: Any = None
    then: str = "staff.contact"  # the page to go to once it is recorded


ACTIONS: dict[str, Action] = {
    "read": Action(_l("Mark as read"), Can.MARK_READ, NoFields, "read"),
    "urgent": Action(
        _l("Mark as urgent"),
        Can.MARK_URGENT,
        UrgentForm,
        "marked_urgent",
        hint=_l(
            "It goes to the top of the tracker, and the mailbox and the person it is with "
            "are emailed at once."
        ),
    ),
    "not-urgent": Action(
        _l("Take urgent off"),
        Can.MARK_URGENT,
        NotUrgentForm,
        "urgent_lifted",
        hint=_l(
            "Only a Head of Service, a senior manager or the customer relations lead, with the "
            "reason: it goes back to its place in the tracker by its due time."
        ),
    ),
    "more-info": Action(
        _l("Ask for more information"),
        Can.ASK_MORE_INFO,
        MoreInfoForm,
        "more_info_asked",
        lambda f: {"reached": bool(f.reached.data)},
    ),
    "reply": Action(
        _l("Reply in the app"),
        Can.RECORD_CONTACT,
        ReplyForm,
        "replied_in_app",
        hint=_l(
            "For a child we can only reach in the app. It counts as reaching them when they "
            "open it: the app records that, and this page shows it."
        ),
    ),
    "allocate": Action(
        _l("Allocate"),
        Can.ALLOCATE,
        AllocateForm,
        "allocated",
        lambda f: {"staff_id": f.staff_id.data},
    ),
    "failed-try": Action(
        _l("Record a try to reach the child that failed"),
        Can.RECORD_CONTACT,
        HowForm,
        "contact_failed",
        lambda f: {"how": f.how.data},
    ),
    "spoke": Action(
        _l("Record that we spoke to the child"),
        Can.RECORD_CONTACT,
        HowForm,
        "spoke_to_child",
        lambda f: {"how": f.how.data},
    ),
    "safeguarding": Action(
        _l("Record a safeguarding concern"),
        Can.SAFEGUARDING,
        SafeguardingForm,
        "safeguarding_concern",
    ),
    "share": Action(
        _l("Record that we shared it with someone"),
        Can.SHARE,
        ShareForm,
        "shared",
        lambda f: {"who": f.who.data, "their_role": f.their_role.data},
    ),
    "pass-praise-on": Action(
        _l("Pass the praise on"),
        Can.SHARE,
        PraiseForm,
        "praise_passed_on",
        lambda f: {"who": f.who.data, "to": [f.email.data, f.manager_email.data or ""]},
        lambda f: None,
    ),
    "update": Action(
        _l("Write an update for the child"), Can.UPDATE_CHILD, UpdateForm, "update_for_child"
    ),
    "note": Action(_l("Add a note"), Can.NOTE, NoteForm, "note"),
    "propose-close": Action(_l("Propose closing"), Can.PROPOSE_CLOSE, NoteForm, "close_proposed"),
    "close": Action(
        _l("Close"),
        Can.CLOSE,
        CloseForm,
        "closed",
        lambda f: {"themes": list(f.themes.data or []), "reason": f.reason.data},
    ),
    "ask-feedback": Action(
        _l("Ask for the closing feedback"), Can.ASK_FEEDBACK, NoFields, "feedback_asked"
    ),
    "feedback": Action(
        _l("Record the child's closing feedback"),
        Can.RECORD_FEEDBACK,
        FeedbackForm,
        "feedback_given",
        lambda f: {
            "listened": f.listened.data,
            "heard": f.heard.data,
            "happy": f.happy.data,
            "how": f.how.data,
            "asked_by": f.asked_by.data,
        },
        hint=_l("For a child who told us on the phone, in person or by email, not in the app."),
    ),
    "reopen": Action(_l("Reopen"), Can.REOPEN, NoteForm, "reopened"),
    "app-words": Action(
        _l("Give the child a reference and words for the app"),
        Can.GIVE_APP_WORDS,
        NoFields,
        "app_words_given",
        hint=_l(
            "So they can follow it in the app. The words are shown to you once; any words "
            "given before stop working."
        ),
        then="staff.app_words",
    ),
    "about": Action(
        _l("Record who or which team it is about"),
        Can.RECORD_ABOUT,
        AboutForm,
        "about_recorded",
        lambda f: {"team": f.team.data or None, "staff_id": f.staff_id.data or None},
        lambda f: None,
        hint=_l("Nobody is given a contact about their own team, or about themselves."),
    ),
    "hand-over": Action(
        _l("Hand over to the formal complaint process (Stage 1)"),
        Can.HAND_OVER,
        HandOverForm,
        "handed_over",
        lambda f: {"agreed": f.agreed.data, "asked_by": f.asked_by.data},
        hint=_l(
            "Only if the child agrees. It stays here with its history and its clock; the "
            "complaints address is emailed its reference."
        ),
    ),
}


def managers() -> list[StaffUser]:
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(
                StaffUser.role.in_([Role.SENIOR_MANAGER.value, Role.HEAD_OF_SERVICE.value]),
                StaffUser.disabled_at.is_(None),
            )
            .order_by(StaffUser.name)
        )
    )


def form_for(name: str, contact: Contact | None = None) -> BaseForm:
    form = ACTIONS[name].form(prefix=name)  # many forms on one page: ids must not clash
    if name == "allocate":  # only fair choices: nobody the contact is about, or their team's
        people = managers()
        form.staff_id.choices = [
            (m.id, f"{m.name} ({labels.ROLES[Role(m.role)]})")
            for m in (fairness.fair_choices(contact, people) if contact else people)
        ]
    if name == "about":
        form.team.choices = [("", _l("Not about one team"))] + [
            (team.key, team.name) for team in council().staff.teams
        ]
        everyone = db.session.scalars(
            select(StaffUser).where(StaffUser.disabled_at.is_(None)).order_by(StaffUser.name)
        )
        form.staff_id.choices = [(0, _l("Nobody with an account"))] + [
            (p.id, f"{p.name} ({labels.ROLES[Role(p.role)]})") for p in everyone
        ]
    if name == "close":
        form.themes.choices = [SelectChoice(theme, theme) for theme in council().staff.themes]
    return form


def offered(staff: StaffUser, contact: Contact) -> list[str]:
    """The actions this member of staff may take on this contact now."""
    return [
        name
        for name, action in ACTIONS.items()
        if can(staff.role, action.permission)
        and contacts.allowed(contact, action.event)
        and (name != "pass-praise-on" or contact.kind == "praise")
        and (name != "urgent" or not contact.urgent)
        and (name != "not-urgent" or (contact.urgent and staff.role in SENIOR))
        and (name != "feedback" or not contacts.status(contact).feedback_given)
        # Not offered again once handed over: the rules would only refuse it.
        and (
            name != "hand-over"
            or (contact.kind == "not_kept" and not contacts.status(contact).handed_over)
        )
        and (name != "reply" or contacts.reply_refused(contact) is None)
    ]


def answers_by_question(contact: Contact) -> dict[int, ContactEvent]:
    """The child's answers, by the question ("more information asked") each answers."""
    return {
        event.details["question"]: event
        for event in contact.events
        if event.kind == "child_added" and "question" in event.details
    }


def show(
    contact: Contact,
    forms: dict[str, BaseForm] | None = None,
    status: int = 200,
    refusal: Any = None,
) -> tuple[str, int]:
    staff = signed_in()
    assert staff is not None
    forms = forms or {}
    return render_template(
        "staff/contacts/show.html",
        contact=contact,
        status=contacts.status(contact),
        forms={
            name: forms.get(name) or form_for(name, contact) for name in offered(staff, contact)
        },
        actions=ACTIONS,
        labels=labels,
        staff_words=staff_labels,
        promises=council().promises_by_key,
        refusal=refusal,
        may_share=contacts.may_share(contact),
        unfair=contact.allocated_to and fairness.unfair(contact, contact.allocated_to),
        only_in_app=contacts.only_in_app(contact.reach),
        reply_refusal=contacts.reply_refused(contact),
        answers=answers_by_question(contact),
        lateness=lateness.of(contact, lateness.Window.at(now(), council().response.clock)),
        error_form=(error_form := next((f for f in forms.values() if f.errors), None)),
        form=error_form,  # the layout's <title> starts "Error:" when a form has errors
    ), status


@bp.get("/contacts/<int:contact_id>")
@requires(Can.SEE_CONTACTS)
def contact(contact_id: int) -> tuple[str, int]:
    found = contact_or_403(contact_id)
    staff = signed_in()
    audit.record(db.session(), "viewed_contact", now=now(), staff=staff, contact=found)
    db.session.commit()
    return show(found)


def _happened_at(form: BaseForm) -> dt.datetime | None:
    """The time staff typed, in the council's time zone, or None for "now"."""
    field = getattr(form, "happened_at", None)
    if field is None or field.data is None:
        return None
    typed: dt.datetime = field.data
    return typed.replace(tzinfo=council().response.zone)


@bp.post("/contacts/<int:contact_id>/<name>")
@requires(Can.SEE_CONTACTS)
def act(contact_id: int, name: str) -> Response | tuple[str, int]:
    action = ACTIONS.get(name)
    if action is None:
        abort(404)
    staff = signed_in()
    assert staff is not None
    if not can(staff.role, action.permission):
        audit.record(db.session(), "refused", now=now(), staff=staff, details={"action": name})
        db.session.commit()
        abort(403)
    found = contact_or_403(contact_id)
    form = form_for(name, found)
    if not form.validate():
        # The page comes back whole, the child's words and how to reach them with it: a view
        # like any other, or a post with nothing in it would read a contact off the record.
        audit.record(
            db.session(),
            "viewed_contact",
            now=now(),
            staff=staff,
            contact=found,
            details={"action": name},
        )
        db.session.commit()
        return show(found, {name: form}, 400)
    try:
        contacts.record(
            db.session(),
            found,
            action.event,
            now=now(),
            office=office(),
            by=contacts.By(staff),
            details=action.details(form),
            text=action.text(form),
            at=_happened_at(form),
        )
    except contacts.Refused as refused:
        db.session.rollback()
        audit.record(
            db.session(),
            "refused_by_rule",
            now=now(),
            staff=staff,
            contact=found,
            details={"action": name, "rule": refused.code.value},
        )
        db.session.commit()
        return show(found, status=409, refusal=labels.STAFF_REFUSALS[refused.code])
    db.session.commit()
    flash(_l("Done: %(action)s.", action=action.label))
    return redirect(url_for(action.then, contact_id=found.id), code=303)
