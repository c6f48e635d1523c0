"""Tell Us, We Care!: the child's message, one question a page, then check and send.

Every step is a plain form post that works without JavaScript. The answers so far live in a
server-side draft (drafts.py) found through the session, so a mistake on one page never loses
the others. Sending goes through contacts.submit with the form's one-time key: a double
click, a resubmission or a replay makes one contact and answers with the same reference.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from app import contacts, drafts
from app.child import tell_us_kept
from app.child.blueprint import bp
from app.child.kept_pages import kept
from app.child.navigation import safe_next
from app.child.tell_us_forms import (
    EmailForm,
    PraiseForm,
    PromisesForm,
    SendForm,
    UrgentForm,
    WhatForm,
    WordsForm,
    kind_words,
)
from app.child.tell_us_steps import (
    BY_NAME,
    STEPS,
    first_missing,
    following,
    next_after_change,
    position,
    previous,
    tidy,
)
from app.contacts.access import sent_shown
from app.council import current as council
from app.council import office
from app.easyread import words as said
from app.extensions import configured_limit, csrf_exempt, db, limiter
from app.forms import BaseForm, choices
from app.labels import CHILD_ANSWERS, CHILD_REFUSALS
from app.models import Contact
from app.preferences import Preferences
from app.timekeeping import now
from app.words import memorable_words

MESSAGES_KEPT = 20  # the most messages one phone remembers
# More promises than this, and the promises step folds each heading's choices away.
FOLD_AFTER = 12
# Where the child can put right what the rules refused at the final send.
FIX_AT = {
    contacts.Refusal.UNKNOWN_KIND: "what",
    contacts.Refusal.UNKNOWN_PROMISE: "promises",
    contacts.Refusal.NO_WORDS: "words",
    contacts.Refusal.TOO_LONG: "words",
    contacts.Refusal.NO_PRAISE_NAME: "words",
    contacts.Refusal.UNKNOWN_HELPER: "helper",
}


def journey() -> dict[str, str]:
    """This device's message in progress: its draft token, one-time key and access secret."""
    current = session.get("draft")
    if not isinstance(current, dict) or not all(
        isinstance(current.get(k), str) for k in ("token", "key", "secret", "words")
    ):
        current = {
            "token": contacts.new_access_secret(),
            "key": uuid.uuid4().hex,
            "secret": contacts.new_access_secret(),
            "words": memorable_words(),
        }
        session["draft"] = current
        session.permanent = True
    return current


def draft_token() -> str | None:
    draft = session.get("draft")
    token = draft.get("token") if isinstance(draft, dict) else None
    return token if isinstance(token, str) else None


def answers() -> dict[str, Any]:
    return drafts.load(db.session(), draft_token())


def save_answers(values: dict[str, Any], unchanged: bool = False) -> None:
    """Keep the answers; `unchanged` when they are the ones `answers()` read in this request."""
    session = db.session()
    drafts.save(session, journey()["token"], values, now(), unchanged=unchanged)
    # Written statement by statement (drafts.statement_by_statement), the session has nothing
    # to commit: committing its empty transaction still cost an answer about 60 us (issue 15).
    if session.in_transaction():
        session.commit()


def form_for(step: str, values: dict[str, Any]) -> BaseForm:
    """The step's form, its question, hint and answers in the words of the child's age."""
    prefs = Preferences.current()
    band = prefs.age.value if prefs.age else None
    form: BaseForm
    if step == "what":
        form = WhatForm(data=values).for_band(band)
    elif step == "promises":
        form = PromisesForm(data=values)
        form.promises.choices = promise_choices()
    elif step == "words":
        form = PraiseForm(data=values) if values.get("kind") == "praise" else WordsForm(data=values)
    elif step == "contact":
        form = (
            EmailForm(data=values)
            if values.get("how") == "email"
            else BY_NAME[step].form(data=values)
        )
    else:
        form = BY_NAME[step].form(data=values)
    in_words(form, step, values, band, prefs.symbols)
    return form


def in_words(
    form: BaseForm, step: str, values: dict[str, Any], band: str | None, symbols: bool
) -> None:
    """The step's first question and its answers said for this age (app/easyread/words.py)."""
    asked = "email" if step == "contact" and values.get("how") == "email" else step
    if step == "contact" and asked == "contact":
        asked = "phone"
    if asked in said.QUESTIONS and not (step == "words" and values.get("kind") == "praise"):
        main = next(iter(f for f in form if f.type not in ("CSRFTokenField", "HiddenField")))
        text, hint = said.question(asked, band, symbols)
        main.label.text = text
        if hint is not None:
            main.description = hint
    for field in form:
        labels = CHILD_ANSWERS.get(field.short_name)
        if labels is not None and field.type in ("RadioField", "CheckboxesField"):
            field.choices = choices(said.choice_words(field.short_name, labels, band, symbols))


def promise_choices() -> list[Any]:
    """Each promise by its title, under its heading's order: a council may make 80 promises of
    1,000 characters, and a phone must still show the question and its first choices. The
    promises page has their words."""
    choices = [
        SelectChoice(p.key, p.title) for _, group in council().grouped_promises() for p in group
    ]
    return [*choices, SelectChoice(contacts.OTHER, _("Something else"))]


def chosen_promise_words(prefs: Preferences) -> dict[str, str]:
    """On "check your answers", each promise chosen in the words of the child's age (its title
    in symbol mode): only the few chosen, so the full words fit."""
    form = prefs.age.form if prefs.age else "card"
    words = {p.key: p.title if prefs.symbols else p.words(form) for p in council().promises}
    return {**words, contacts.OTHER: _("Something else")}


def promise_groups() -> dict[str, Any]:
    """The promises step's choices under the council's headings, folded away when many."""
    groups = council().grouped_promises()
    return {
        "promise_groups": [(section, [p.key for p in group]) for section, group in groups],
        "fold": len(council().promises) > FOLD_AFTER,
        "other": contacts.OTHER,
    }


def after(step: str, values: dict[str, Any]) -> str:
    if request.values.get("change"):
        asked = next_after_change(step, values)
        if asked is not None:
            return url_for("child.tell_us_step", step=asked, change=1)
        return url_for("child.check")
    later = following(step, values)
    return url_for("child.tell_us_step", step=later) if later else url_for("child.check")


def back_from(step: str, values: dict[str, Any]) -> str:
    if request.values.get("change"):
        return url_for("child.check")
    earlier = previous(step, values)
    return url_for("child.tell_us_step", step=earlier) if earlier else url_for("child.tell_us")


def step_page(step: str, form: BaseForm, values: dict[str, Any]) -> str:
    """The question page of `step`: its own template, or the one that draws any one question."""
    number, steps = position(step, values)
    return render_template(
        [f"child/tell_us/{step}.html", "child/tell_us/question.html"],
        form=form,
        step=step,
        **(promise_groups() if step == "promises" else {}),
        answers=values,
        back=back_from(step, values),
        change=bool(request.values.get("change")),
        number=number,
        steps=steps,
        choice_symbols_here=said.CHOICE_SYMBOLS.get(step, {}),
    )


def kept_as(step: str, values: dict[str, Any]) -> Any:
    """What `step_page` draws from beside the form's answers, as tell_us_kept keeps it by:
    the form (praise or not, email or a phone) and the question's place in the journey."""
    if request.method != "GET":
        return None  # an answer: checked, and shown again with its errors if any
    return tell_us_kept.key(
        step,
        BY_NAME[step].fields,
        values,
        values.get("kind") == "praise",
        values.get("how") == "email",
        position(step, values),
        # The back link, by what back_from makes it of (the address, with "change=1", is in
        # the key already): building the link was a twentieth of a kept question (issue 15).
        previous(step, values),
    )


@bp.get("/tell-us")
@kept
def tell_us() -> str:
    return render_template("child/tell_us/start.html")


@csrf_exempt  # the form checks its own token, so a stale page gets a kind message, not a 400
@bp.route("/tell-us/<step>", methods=["GET", "POST"])
def tell_us_step(step: str) -> str | Response:
    if step not in STEPS:
        abort(404)
    # A question and its answer read and write this one draft and nothing else.
    with drafts.statement_by_statement(db.session(), wanted=draft_token() is not None):
        return question(step)


def question(step: str) -> str | Response:
    values = answers()
    missing = first_missing(values)
    if missing and STEPS.index(missing) < STEPS.index(step):
        return redirect(url_for("child.tell_us_step", step=missing))
    if not BY_NAME[step].applies(values):
        # Asked only after an answer that needs it (a number after "ring me"): on to the next.
        return redirect(after(step, values), code=303)
    kept_key = kept_as(step, values)
    page = tell_us_kept.found(kept_key) if kept_key is not None else None
    if page is not None:
        return page
    form = form_for(step, values)
    if request.method == "POST" and form.validate():
        read = dict(values)
        values.update({name: form[name].data for name in BY_NAME[step].fields if name in form})
        tidy(values)
        age = Preferences.current().age
        values["age_band"] = age.value if age else None
        save_answers(values, unchanged=values == read and bool(read))
        return redirect(after(step, values), code=303)
    page = step_page(step, form, values)
    if kept_key is not None:
        tell_us_kept.keep(kept_key, page)
    return page


@bp.get("/tell-us/check")
def check() -> tuple[str, int] | Response:
    # The draft read on its own, as a question's is (drafts.statement_by_statement).
    with drafts.statement_by_statement(db.session(), wanted=draft_token() is not None):
        values = answers()
    missing = first_missing(values)
    if missing:
        return redirect(url_for("child.tell_us_step", step=missing))
    return show_check(SendForm(data={"submission_key": journey()["key"]}), values)


def show_check(form: SendForm, values: dict[str, Any], code: int = 200) -> tuple[str, int]:
    prefs = Preferences.current()
    band = prefs.age.value if prefs.age else None
    return render_template(
        "child/tell_us/check.html",
        form=form,
        answers=values,
        labels=CHILD_ANSWERS,
        kinds=dict(kind_words(band)),  # as the "what" question's choices say them
        promise_words=chosen_promise_words(prefs),
    ), code


@csrf_exempt  # checked by SendForm itself, so a stale page is explained on the page
@bp.post("/tell-us/send")
@limiter.limit(configured_limit("LIMIT_SEND"))
def send() -> tuple[str, int] | Response:
    # A message kept on the phone comes here as JSON: app/child/sending_later.py takes it.
    form = SendForm()
    values = answers()
    if not form.validate():
        if first_missing(values):
            return redirect(url_for("child.tell_us"))
        form.submission_key.data = journey()["key"]
        return show_check(form, values)
    key = form.submission_key.data or ""
    sent_before = session.get("sent")
    if isinstance(sent_before, dict) and sent_before.get("key") == key:
        return redirect(url_for("child.sent"), code=303)  # pressed again after it went
    current = journey()
    missing = first_missing(values)
    if missing and key == current["key"]:
        # It went, but the answer never reached the phone (a dropped connection, a server that
        # died after saving it), so the phone sends again: the draft is gone, and the child is
        # shown what they sent rather than an empty first question. (With every answer still
        # here, contacts.submit finds it the same way, so it is not looked for twice.)
        try:
            already = contacts.sent_before(db.session(), key, current["secret"])
        except contacts.Refused:
            return render_template("child/tell_us/already_sent.html"), 409
        if already is not None:
            return acknowledge(already, current, key, current["secret"])
    if missing:
        return redirect(url_for("child.tell_us_step", step=missing))
    # A replay from another session cannot borrow this draft's secret: with its own, the
    # rules answer "already sent" and open nothing.
    secret = current["secret"] if key == current["key"] else contacts.new_access_secret()
    draft_answers = contacts.Answers(
        kind=values.get("kind", ""),
        promises=tuple(values.get("promises") or ()),
        words=values.get("words", ""),
        helper=values.get("helper", ""),
        praise_name=values.get("praise_name") or "",
        praise_role=values.get("praise_role") or "",
        praise_may_pass_on=bool(values.get("praise_may_pass_on")),
        reach=reach_of(values),
        urgent=bool(values.get("urgent")),
        age_band=values.get("age_band"),
    )
    try:
        contact = contacts.submit(
            db.session(),
            draft_answers,
            submission_key=key,
            access_secret=secret,
            memorable_words=current["words"],
            now=now(),
            office=office(),
        )
    except contacts.Refused as refused:
        # Never silent: the check page says what is wrong, and every answer stays.
        db.session.rollback()
        if refused.code is contacts.Refusal.ALREADY_SENT:
            return render_template("child/tell_us/already_sent.html"), 409
        form.submission_key.data = key
        form.form_errors.append(CHILD_REFUSALS[refused.code])
        step = FIX_AT.get(refused.code)
        form.fix_at = url_for("child.tell_us_step", step=step, change=1) if step else None
        return show_check(form, values, 400)
    return acknowledge(contact, current, key, secret)


def acknowledge(contact: Contact, current: dict[str, str], key: str, secret: str) -> Response:
    """The message is kept: the draft goes, the phone holds the message (by `secret`, the one
    it was sent with), and the child is told."""
    drafts.discard(db.session(), current["token"])
    reference = contact.reference  # read before the commit expires it: no reload afterwards
    db.session.commit()
    remember(secret)
    words = current["words"] if key == current["key"] else ""
    session.pop("draft", None)
    session["sent"] = {"reference": reference, "words": words, "key": key}
    return redirect(url_for("child.sent"), code=303)


def reach_of(values: dict[str, Any]) -> dict[str, Any] | None:
    """How to reach the child, or None if they chose to stay anonymous and gave nothing."""
    reach = {name: values.get(name) for name in contacts.REACH_KEYS + contacts.SUPPORT_KEYS}
    reach = {name: value for name, value in reach.items() if value not in (None, "", [])}
    return reach or None


def remember(secret: str) -> None:
    """Keep the message's access on this phone (HttpOnly session cookie)."""
    held = [s for s in session.get("messages", []) if isinstance(s, str) and s != secret]
    session["messages"] = [secret, *held][:MESSAGES_KEPT]
    session.permanent = True


@bp.get("/tell-us/sent")
def sent() -> str | Response:
    sent_now = session.get("sent")
    if not isinstance(sent_now, dict):
        return redirect(url_for("child.my_messages"))
    shown = sent_shown(db.session(), sent_now.get("reference", ""), session.get("messages", []))
    if shown is None:
        return redirect(url_for("child.my_messages"))
    reference, due_at = shown
    clock = council().response.clock
    moment = now()
    return render_template(
        "child/tell_us/sent.html",
        reference=reference,
        words=sent_now.get("words", ""),
        due=due_at.astimezone(clock.zone),
        office_open=clock.in_office_hours(moment),
        read_at=clock.next_office_opening(moment).astimezone(clock.zone),
        today=moment.astimezone(clock.zone).date(),
    )


def urgent_marked() -> Contact | None:
    """The message this phone holds that the rules marked urgent just now, if any: the page
    says "marked urgent" only when that is true in the database at this moment."""
    reference = session.get("urgent")
    if not isinstance(reference, str):
        return None
    contact = contacts.contact_for(db.session(), reference, session.get("messages", []))
    return contact if contact is not None and contact.urgent else None


def show_not_safe(form: UrgentForm | None = None, code: int = 200) -> tuple[str, int]:
    if form is None:
        form = UrgentForm(formdata=None, data={"submission_key": uuid.uuid4().hex})
    values = answers()
    return (
        render_template(
            "child/tell_us/not_safe.html",
            back=safe_next("child.tell_us"),
            marked=urgent_marked(),
            written=bool(values.get("words") or values.get("kind")),
            form=form,
        ),
        code,
    )


@bp.get("/tell-us/not-safe")
def not_safe() -> tuple[str, int]:
    """ "I don't feel safe right now": who to call, at once, and the truth about the message.

    Looking costs nothing and writes nothing; only "send an urgent message now" (a form with
    its token, like every other) makes a message."""
    return show_not_safe()


@csrf_exempt  # UrgentForm checks its own token, so a stale page is explained, not a 400
@bp.post("/tell-us/not-safe")
@limiter.limit(configured_limit("LIMIT_SEND"))
def send_urgent() -> tuple[str, int] | Response:
    """An urgent message, now: with what the child has written so far if they chose so."""
    form = UrgentForm()
    if not form.validate():
        form.submission_key.data = form.submission_key.data or uuid.uuid4().hex
        return show_not_safe(form, 400)
    values = answers() if form.include.data else {}
    age = Preferences.current().age
    current = journey()
    urgent = contacts.Answers(
        kind=values.get("kind") or "not_kept",
        promises=tuple(values.get("promises") or (contacts.OTHER,)),
        words=values.get("words", ""),
        helper=values.get("helper") or "nobody",
        praise_name=values.get("praise_name") or "",
        praise_role=values.get("praise_role") or "",
        reach=reach_of(values),
        urgent=True,
        age_band=values.get("age_band") or (age.value if age else None),
    )
    try:
        contact = contacts.submit(
            db.session(),
            urgent,
            submission_key=form.submission_key.data or "",
            access_secret=current["secret"],
            memorable_words=current["words"],
            now=now(),
            office=office(),
        )
    except contacts.Refused as refused:
        db.session.rollback()
        form.form_errors.append(CHILD_REFUSALS[refused.code])
        return show_not_safe(form, 400)
    if form.include.data:
        drafts.discard(db.session(), current["token"])
        session.pop("draft", None)
    else:
        # The draft stays for the child to finish; it gets new keys, as this message used them.
        session.pop("draft", None)
        session["draft"] = {**current, **_fresh_keys()}
    db.session.commit()
    remember(current["secret"])
    session["urgent"] = contact.reference
    session["sent"] = {"reference": contact.reference, "words": current["words"], "key": ""}
    return redirect(url_for("child.not_safe"), code=303)


def _fresh_keys() -> dict[str, str]:
    return {
        "key": uuid.uuid4().hex,
        "secret": contacts.new_access_secret(),
        "words": memorable_words(),
    }
