"""The tracker: every contact the member of staff may see, urgent first, then late, then by
deadline, with the working time left to each deadline. It refreshes itself with htmx; that
refresh neither keeps the session alive nor fills the audit trail (auth.automatic_refresh)."""

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

from app import audit, contacts, labels, urls
from app.contacts import Stage, lateness
from app.contacts.lateness import Lateness
from app.council import current as council
from app.council import office
from app.deadlines import Clock
from app.extensions import db
from app.forms import BaseForm, CheckboxesField, Within, choices
from app.models import Contact
from app.roles import Can, can
from app.staff.auth import automatic_refresh, requires, signed_in
from app.staff.blueprint import bp
from app.timekeeping import now

PAGE_SIZE = 25
FILTERS = ("urgent", "late", "mine")
# Open and waiting first, most pressing first; finished contacts last.
ORDER = {
    Lateness.LATE.value: 0,
    Lateness.DUE_SOON.value: 1,
    Lateness.ON_TIME.value: 2,
    Lateness.MET_LATE.value: 3,
    Lateness.MET.value: 3,
    Lateness.STOPPED.value: 3,
}


@dataclass(frozen=True)
class Row:
    contact: Contact
    lateness: Lateness
    hours: int  # working hours to the deadline (negative: late)
    feedback: bool  # the child has answered "How did we do?"


def _query(filters: dict[str, str], window: lateness.Window) -> Select[Contact, str]:
    staff = signed_in()
    assert staff is not None
    state = lateness.sql(window)
    query = select(Contact, state)
    if not can(staff.role, Can.SEE_ALL_CONTACTS):
        query = query.where(Contact.allocated_to_id == staff.id)
    if filters.get("mine"):
        query = query.where(Contact.allocated_to_id == staff.id)
    if filters.get("urgent"):
        query = query.where(Contact.urgent.is_(True))
    if filters.get("late"):
        query = query.where(state == Lateness.LATE.value)
    if filters.get("kind") in contacts.KINDS:
        query = query.where(Contact.kind == filters["kind"])
    if filters.get("stage") in {str(stage.value) for stage in Stage}:
        query = query.where(Contact.stage == int(filters["stage"]))
    return query.order_by(
        (Contact.stage == Stage.FINISHED).asc(),
        Contact.urgent.desc(),
        case(ORDER, value=state, else_=3),
        Contact.due_at.asc(),
        Contact.id.asc(),
    )


def _hours_left(clock: Clock, moment: dt.datetime, due: dt.datetime) -> int:
    left = clock.working_time_between(moment, due)
    seconds = left.total_seconds()
    return math.floor(seconds / 3600) if seconds >= 0 else -math.ceil(-seconds / 3600)


@bp.get("/tracker")
@requires(Can.SEE_CONTACTS)
def tracker() -> str:
    moment = now()
    clock = council().response.clock
    window = lateness.Window.at(moment, clock)
    filters = {key: urls.choice(key, {"1"}) for key in FILTERS} | {
        "kind": urls.choice("kind", contacts.KINDS),
        "stage": urls.choice("stage", {str(stage.value) for stage in Stage}),
    }
    query = _query(filters, window)
    total = (
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(urls.page(), pages)
    found = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    rows = [
        Row(
            contact,
            Lateness(state),
            _hours_left(clock, moment, contact.due_at),
            contact.stage == Stage.FINISHED and contacts.status(contact).feedback_given,
        )
        for contact, state in found
    ]
    staff = signed_in()
    assert staff is not None
    if not automatic_refresh():  # a view a person asked for, not the refresh every 30 seconds
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
        labels=labels,
        Lateness=Lateness,
        promise_titles={p.key: p.title for p in council().promises},
    )


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
        validators=[Optional(), Length(max=contacts.SHORT_LIMIT)],
    )
    name = StringField(_l("The child's name (optional)"), validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Phone number (optional)"), validators=[Optional(), Length(max=30)])
    email = StringField(
        _l("Email address (optional)"), validators=[Optional(), Length(max=contacts.SHORT_LIMIT)]
    )
    helper = RadioField(
        _l("Who helped them?"),
        choices=choices(labels.HELPERS),
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
        assert form.received_at.data is not None
        received = form.received_at.data.replace(tzinfo=council().response.zone)
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
            now=now(),
            received_at=received,
            office=office(),
            channel=form.channel.data or "",
            logged_by=staff,
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
        }
        field = fields.get(refused.code, form.words)
        field.errors = [labels.STAFF_REFUSALS[refused.code]]
        return render_template("staff/contacts/new.html", form=form)
    db.session.commit()
    return redirect(url_for("staff.contact", contact_id=contact.id), code=303)
