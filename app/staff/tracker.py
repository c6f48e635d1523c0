"""The tracker: every contact the member of staff may see, urgent first, then late, then by
deadline, with the working time left to each deadline. It refreshes itself with htmx."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select
from werkzeug.wrappers import Response
from wtforms import DateTimeLocalField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app import audit, contacts, notify
from app.child.tell_us_forms import HelperForm, WhatForm
from app.contacts import Stage
from app.extensions import db
from app.forms import BaseForm, CheckboxesField
from app.models import Contact
from app.roles import Can, can
from app.staff.auth import requires, signed_in
from app.staff.blueprint import bp
from app.templating import council
from app.timekeeping import now

PAGE_SIZE = 25
FILTERS = ("urgent", "late", "mine")


@dataclass(frozen=True)
class Row:
    contact: Contact
    late: bool
    hours: int  # working hours to the deadline (negative: late), or 0 once spoken to
    feedback: bool  # the child has answered "How did we do?"


def _query(filters: dict[str, str], moment: dt.datetime) -> Select[Contact]:
    staff = signed_in()
    assert staff is not None
    late = (
        Contact.first_contact_at.is_(None)
        & (Contact.stage < Stage.FINISHED)
        & (Contact.due_at < moment)
    )
    query = select(Contact)
    if not can(staff.role, Can.SEE_ALL_CONTACTS):
        query = query.where(Contact.allocated_to_id == staff.id)
    if filters.get("mine"):
        query = query.where(Contact.allocated_to_id == staff.id)
    if filters.get("urgent"):
        query = query.where(Contact.urgent.is_(True))
    if filters.get("late"):
        query = query.where(late)
    if filters.get("kind") in contacts.KINDS:
        query = query.where(Contact.kind == filters["kind"])
    if filters.get("stage", "").isdigit():
        query = query.where(Contact.stage == int(filters["stage"]))
    return query.order_by(
        (Contact.stage == Stage.FINISHED).asc(),
        Contact.urgent.desc(),
        case((late, 0), else_=1),
        Contact.due_at.asc(),
        Contact.id.asc(),
    )


@bp.get("/tracker")
@requires(Can.SEE_CONTACTS)
def tracker() -> str:
    moment = now()
    filters = {key: request.args.get(key, "") for key in (*FILTERS, "kind", "stage")}
    query = _query(filters, moment)
    total = (
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    found = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    clock = council().response.clock
    rows = []
    for contact in found:
        open_clock = contact.first_contact_at is None and contact.stage < Stage.FINISHED
        left = clock.working_time_between(moment, contact.due_at) if open_clock else dt.timedelta()
        hours = (
            math.floor(left.total_seconds() / 3600)
            if left >= dt.timedelta()
            else -math.ceil(-left.total_seconds() / 3600)
        )
        late = open_clock and contact.due_at < moment
        feedback = contact.stage == Stage.FINISHED and contacts.status(contact).feedback_given
        rows.append(Row(contact, late, hours, feedback))
    staff = signed_in()
    assert staff is not None
    audit.record(
        db.session(),
        "viewed_tracker",
        now=moment,
        staff=staff,
        details={"filters": {k: v for k, v in filters.items() if v}, "page": page},
    )
    db.session.commit()
    template = (
        "staff/tracker/_table.html"
        if request.headers.get("HX-Request")
        else "staff/tracker/index.html"
    )
    return render_template(
        template,
        rows=rows,
        filters=filters,
        page=page,
        pages=pages,
        total=total,
        what=WHAT_LABELS,
        stages=STAGE_LABELS,
        promise_titles={p.key: p.title for p in council().promises},
    )


WHAT_LABELS = {"kept_well": _l("Kept well"), "not_kept": _l("Not kept"), "praise": _l("Praise")}
STAGE_LABELS = {
    Stage.SENT: _l("Sent"),
    Stage.READ: _l("Read"),
    Stage.WITH_PERSON: _l("With a named person"),
    Stage.TALKED: _l("Talked"),
    Stage.SORTING: _l("Sorting it out"),
    Stage.FINISHED: _l("Finished"),
}


class LogForm(BaseForm):
    channel = RadioField(
        _l("How did it come in?"),
        choices=[
            SelectChoice("phone", _l("Phone")),
            SelectChoice("email", _l("Email")),
            SelectChoice("in_person", _l("In person")),
        ],
        validators=[InputRequired(_l("Choose how it came in"))],
    )
    received_at = DateTimeLocalField(
        _l("When did it come in?"),
        format="%Y-%m-%dT%H:%M",
        description=_l("The 48-hour clock starts then."),
        validators=[InputRequired(_l("Enter when it came in"))],
    )
    kind = RadioField(
        _l("What is it about?"),
        choices=WhatForm.kind.kwargs["choices"],
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
        validators=[Optional(), Length(max=contacts.SHORT_LIMIT)],
    )
    name = StringField(_l("The child's name (optional)"), validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Phone number (optional)"), validators=[Optional(), Length(max=30)])
    email = StringField(
        _l("Email address (optional)"), validators=[Optional(), Length(max=contacts.SHORT_LIMIT)]
    )
    helper = RadioField(
        _l("Who helped them?"),
        choices=HelperForm.helper.kwargs["choices"],
        validators=[InputRequired(_l("Choose who helped"))],
    )
    submission_key = HiddenField(validators=[DataRequired(), Length(max=64)])


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
        clock = council().response.clock
        assert form.received_at.data is not None
        received = form.received_at.data.replace(tzinfo=clock.zone)
        if received > now():
            form.received_at.errors = [_l("It cannot have come in in the future")]
        else:
            return _logged(form, received)
    return render_template("staff/contacts/new.html", form=form)


def _logged(form: LogForm, received: dt.datetime) -> str | Response:
    staff = signed_in()
    assert staff is not None
    reach = {key: form[key].data for key in ("name", "phone", "email") if form[key].data}
    answers = contacts.Answers(
        kind=form.kind.data or "",
        promises=tuple(form.promises.data or ()),
        words=form.words.data or "",
        helper=form.helper.data or "",
        praise_name=form.praise_name.data or "",
        reach=reach or None,
    )
    try:
        contact = contacts.submit(
            db.session(),
            answers,
            submission_key=form.submission_key.data or "",
            access_secret=contacts.new_access_secret(),
            memorable_words="",
            now=received,
            clock=council().response.clock,
            known_promises=council().promises_by_key,
            channel=form.channel.data or "",
        )
    except contacts.Refused as refused:
        db.session.rollback()
        form.words.errors = [_l("This could not be saved (%(code)s)", code=refused.code)]
        return render_template("staff/contacts/new.html", form=form)
    audit.record(
        db.session(),
        "logged_contact",
        now=now(),
        staff=staff,
        contact=contact,
        details={"channel": contact.channel},
    )
    notify.new_contact(contact)
    db.session.commit()
    return redirect(url_for("staff.contact", contact_id=contact.id), code=303)
