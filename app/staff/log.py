"""Logging a contact that came by phone, email or in person: everything the app's form asks,
when it came in, whether it is urgent (and why), and, if the child wants to follow it in the
app, a reference and three words shown once to the member of staff to read out or print.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app import audit, contacts, labels
from app.council import current as council
from app.council import office
from app.extensions import db
from app.forms import PHONE, BaseForm, CheckboxesField, Within, choices
from app.models import AuditEvent, Contact, ContactEvent
from app.roles import Can
from app.staff import staff_labels
from app.staff.auth import contact_or_403, requires, signed_in
from app.staff.blueprint import bp
from app.staff.contact import EMAIL_ADDRESS
from app.timekeeping import now
from app.words import memorable_words

SHORT = Length(max=contacts.SHORT_LIMIT)
# How to reach the child and what helps them talk, under the keys the app's steps use too.
REACH = contacts.REACH_KEYS + contacts.SUPPORT_KEYS


class LogForm(BaseForm):
    channel = RadioField(
        _l("How did it come in?"),
        choices=[c for c in choices(labels.CHANNELS) if c.value != "app"],
        validators=[InputRequired(_l("Choose how it came in"))],
    )
    received_at = DateTimeLocalField(
        _l("When did it come in?"),
        format="%Y-%m-%dT%H:%M",
        description=_l("The 48-hour clock starts then."),
        validators=[
            InputRequired(_l("Enter when it came in")),
            # A contact is logged when it comes in, or soon after: one from over a year ago
            # is a mistyped year (and its 48-hour clock would mean nothing).
            Within(
                _l("Check the date: it must be within the last year, and not in the future."),
                back=dt.timedelta(days=366),
            ),
        ],
    )
    urgent = BooleanField(
        _l("Urgent: a person must look at it now"),
        description=_l(
            "For example, the child does not feel safe. It goes to the top of the tracker and "
            "the mailbox is emailed at once."
        ),
    )
    urgent_reason = TextAreaField(
        _l("Why it is urgent (if urgent)"),
        validators=[Optional(), Length(max=contacts.WORDS_LIMIT)],
    )
    kind = RadioField(
        _l("What is it about?"),
        choices=choices(labels.KINDS),
        validators=[InputRequired(_l("Choose what it is about"))],
    )
    promises = CheckboxesField(
        _l("Which promise?"),
        validators=[InputRequired(_l("Choose a promise, or “Something else”"))],
    )
    words = TextAreaField(
        _l("What the child said"),
        validators=[
            DataRequired(_l("Write what the child said")),
            Length(max=contacts.WORDS_LIMIT),
        ],
    )
    praise_name = StringField(
        _l("Who they praised (praise only)"),
        validators=[Optional(), SHORT],
    )
    praise_role = RadioField(
        _l("What the person they praised does (praise only, optional)"),
        choices=choices(staff_labels.STAFF_PRAISE_ROLES),
        validators=[Optional()],
    )
    praise_may_pass_on = BooleanField(
        _l("The child says their thanks may be passed on straight away (praise only)"),
        description=_l("If this is empty, we speak to the child before passing it on."),
    )
    age_band = RadioField(
        _l("How old is the child? (optional)"),
        choices=choices(labels.AGE_BANDS),
        validators=[Optional()],
    )
    helper = RadioField(
        _l("Who helped them?"),
        choices=choices(labels.HELPERS),
        validators=[InputRequired(_l("Choose who helped"))],
    )
    name = StringField(_l("The child's name (optional)"), validators=[Optional(), Length(max=60)])
    how = RadioField(
        _l("How to get back to them (optional)"),
        choices=choices(staff_labels.STAFF_REACH_HOW),
        validators=[Optional()],
    )
    # Checked as the app checks the child's own: a number typed wrong on a call is a child
    # nobody can ring back.
    phone = StringField(
        _l("Phone number (optional)"), validators=[Optional(), Length(max=30), PHONE]
    )
    email = StringField(
        _l("Email address (optional)"), validators=[Optional(), SHORT, EMAIL_ADDRESS]
    )
    best_time = StringField(_l("A good time to talk (optional)"), validators=[Optional(), SHORT])
    leave_message = RadioField(
        _l("May we leave a message? (optional)"),
        choices=choices(labels.YES_NO),
        validators=[Optional()],
    )
    language = StringField(
        _l("Which language they would like to talk in (optional)"),
        validators=[Optional(), Length(max=60)],
    )
    interpreter = RadioField(
        _l("Would they like an interpreter? (optional)"),
        choices=choices(labels.YES_NO),
        validators=[Optional()],
    )
    helps = CheckboxesField(
        _l("What helps them talk (optional)"),
        choices=choices(staff_labels.STAFF_HELPS),
        validators=[Optional()],
    )
    helps_other = StringField(
        _l("Anything else that helps them talk (optional)"), validators=[Optional(), SHORT]
    )
    advocate = RadioField(
        _l("Would they like an advocate? (optional)"),
        choices=choices(staff_labels.STAFF_YES_NO_NOT_SURE),
        validators=[Optional()],
    )
    app_words = BooleanField(
        _l("The child wants to follow it in the app"),
        description=_l(
            "They get the reference and three words for the app, shown to you once, to read "
            "out or print."
        ),
    )
    submission_key = HiddenField(validators=[DataRequired(), Length(max=64)])

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        # Optional, unless what was chosen needs them.
        needed = {
            "urgent_reason": (bool(self.urgent.data), _l("Write why it is urgent")),
            "phone": (
                self.how.data in {"phone", "text"},
                _l("Write the phone number to use"),
            ),
            "email": (self.how.data == "email", _l("Write the email address to use")),
        }
        for name, (is_needed, message) in needed.items():
            field = self[name]
            if is_needed and not field.data and not field.errors:
                field.errors = [message]
                valid = False
        self._errors = None
        return valid


@bp.route("/contacts/new", methods=["GET", "POST"])
@requires(Can.LOG_CONTACT)
def log_contact() -> str | Response:
    """A contact that came by phone, email or in person, logged for the child."""
    form = LogForm()
    form.promises.choices = [SelectChoice(p.key, p.title) for p in council().promises] + [
        SelectChoice(contacts.OTHER, _l("Something else"))
    ]
    if request.method == "GET":
        form.submission_key.data = uuid.uuid4().hex
    if form.validate_on_submit():
        assert form.received_at.data is not None
        received = form.received_at.data.replace(tzinfo=council().response.zone)
        return _logged(form, received)
    return render_template("staff/contacts/new.html", form=form)


def _answers(form: LogForm) -> contacts.Answers:
    reach = {key: form[key].data for key in REACH if form[key].data}
    return contacts.Answers(
        kind=form.kind.data or "",
        promises=tuple(form.promises.data or ()),
        words=form.words.data or "",
        helper=form.helper.data or "",
        praise_name=form.praise_name.data or "",
        praise_role=form.praise_role.data or "",
        praise_may_pass_on=bool(form.praise_may_pass_on.data),
        reach=reach or None,
        age_band=form.age_band.data or None,
    )


def _logged(form: LogForm, received: dt.datetime) -> str | Response:
    staff = signed_in()
    assert staff is not None
    try:
        contact = contacts.submit(
            db.session(),
            _answers(form),
            submission_key=form.submission_key.data or "",
            access_secret=contacts.new_access_secret(),
            # The child's words for the app, if they want them; none, and it never opens so.
            memorable_words=memorable_words() if form.app_words.data else "",
            now=now(),
            received_at=received,
            office=office(),
            channel=form.channel.data or "",
            logged_by=staff,
            urgent_reason=(form.urgent_reason.data or "") if form.urgent.data else None,
        )
    except contacts.Refused as refused:
        db.session.rollback()
        if refused.code is contacts.Refusal.ALREADY_SENT:  # the same form sent twice
            logged = db.session.scalar(
                select(Contact).where(Contact.submission_key == form.submission_key.data)
            )
            if logged is not None:
                return redirect(url_for("staff.contact", contact_id=logged.id), code=303)
        fields = {
            contacts.Refusal.IN_THE_FUTURE: form.received_at,
            contacts.Refusal.NO_PRAISE_NAME: form.praise_name,
            contacts.Refusal.REASON_NEEDED: form.urgent_reason,
        }
        field = fields.get(refused.code, form.words)
        field.errors = [labels.STAFF_REFUSALS[refused.code]]
        return render_template("staff/contacts/new.html", form=form)
    db.session.commit()
    if form.app_words.data:
        return redirect(url_for("staff.app_words", contact_id=contact.id), code=303)
    return redirect(url_for("staff.contact", contact_id=contact.id), code=303)


def words_to_show(contact: Contact, email: str) -> ContactEvent | None:
    """The words given last, if this member of staff gave them and has not yet seen them."""
    given = [event for event in contact.events if event.kind == "app_words_given"]
    if not given or given[-1].actor != email:
        return None
    shown = db.session.scalars(
        select(AuditEvent.details).where(
            AuditEvent.contact_id == contact.id, AuditEvent.action == "shown_app_words"
        )
    )
    return None if any(d.get("event_id") == given[-1].id for d in shown) else given[-1]


@bp.get("/contacts/<int:contact_id>/app-words")
@requires(Can.SEE_CONTACTS)
def app_words(contact_id: int) -> str:
    """The reference and words for the app, shown once to whoever gave them: on this page,
    never in an email or an event, and not again when the page is opened a second time."""
    found = contact_or_403(contact_id)
    staff = signed_in()
    assert staff is not None
    given = words_to_show(found, staff.email)
    audit.record(
        db.session(),
        "shown_app_words" if given else "viewed_app_words",
        now=now(),
        staff=staff,
        contact=found,
        details={"event_id": given.id} if given else {},
    )
    db.session.commit()
    return render_template(
        "staff/contacts/app_words.html",
        contact=found,
        words=found.memorable_words if given else None,
        given_any=any(event.kind == "app_words_given" for event in found.events),
        find_url=office().base_url.rstrip("/") + url_for("child.find_message"),
    )
