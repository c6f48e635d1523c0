"""My messages: where each message is, in plain words, on the phone that sent it.

Access is a secret in the HttpOnly session cookie, never in a URL; from another phone the
reference and the three memorable words open it. The page never shows the child's own words,
not even their answer to a question we asked (phones are shared): it says when they answered.
"""

from __future__ import annotations

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app import contacts
from app.child.blueprint import bp
from app.child.tell_us import remember
from app.child.tell_us_forms import AddForm, FeedbackForm, FindForm, NotSafeForm
from app.contacts import news
from app.council import current as council
from app.council import office
from app.extensions import configured_limit, csrf_exempt, db, limiter
from app.forms import BaseForm
from app.i18n import lazy_gettext as _l
from app.labels import CHILD_REFUSALS
from app.models import Contact
from app.templating import how_long
from app.timekeeping import now


class AnswerForm(BaseForm):
    """The child's answer to a question staff asked ("more information asked")."""

    words = TextAreaField(
        _l("Your answer"),
        description=_l("Only the team can read it. It will not show on this page again."),
        validators=[
            DataRequired(_l("Write your answer in the box, then send it")),
            Length(
                max=contacts.WORDS_LIMIT,
                message=_l(
                    "Your answer is longer than %(limit)s letters. Make it shorter, and send the "
                    "rest with “Forgot to say something?” after this. Nothing you wrote has been "
                    "lost.",
                    limit=f"{contacts.WORDS_LIMIT:,}",
                ),
            ),
        ],
    )


def answer_form(question_id: int) -> AnswerForm:
    # One form a question, each with its own ids.
    return AnswerForm(prefix=f"answer-{question_id}")


def held() -> list[str]:
    return [s for s in session.get("messages", []) if isinstance(s, str)]


def page(body: str, code: int = 200) -> Response:
    """A status page (never stored: the blueprint marks every /messages page no-store)."""
    return make_response(body, code)


def mine(reference: str) -> Contact:
    contact = contacts.contact_for(db.session(), reference, held())
    if contact is None:
        abort(404)  # the same answer whether it does not exist or is someone else's
    return contact


@bp.get("/messages")
def my_messages() -> Response:
    found = contacts.contacts_for(db.session(), held())
    return page(
        render_template(
            "child/messages/index.html",
            messages=[(contact, contacts.status(contact)) for contact in found],
        )
    )


def talked_with(contact: Contact | contacts.Shown) -> str:
    """The named person's name once they themselves spoke to the child, else "": the page
    says "Sam has talked with you" only when it was Sam."""
    person = contact.allocated_to
    if person is None:
        return ""
    spoke = any(e.kind == "spoke_to_child" and e.actor == person.email for e in contact.events)
    return person.name if spoke else ""


def show_message(
    contact: Contact | contacts.Shown,
    add_form: AddForm | None = None,
    feedback_form: FeedbackForm | None = None,
    other_form: BaseForm | None = None,
    code: int = 200,
    *,
    answering: tuple[int, AnswerForm] | None = None,
    known: contacts.Status | None = None,
    news_on: bool | None = None,
) -> Response:
    """The status page; `known` and `news_on` when the caller has read them already. The
    contact as the rules read it, or as the page alone reads it (contacts.contact_shown)."""
    clock = council().response.clock
    status = known or contacts.status(contact)
    if news_on is None and status.can_add:  # the page offers news only while it may come
        news_on = news.subscribed(db.session(), contact)
    answer_forms: dict[int, BaseForm] = {
        q.id: answer_form(q.id) for q in status.questions if q.answered_at is None
    }
    if answering is not None:
        question_id, other_form = answering
        answer_forms[question_id] = other_form
    return page(
        render_template(
            "child/messages/show.html",
            contact=contact,
            status=status,
            talked_with=talked_with(contact),
            zone=clock.zone,
            # Each form made only where the page shows it, "Forgot to say something?" only
            # when its kept part is made (or shown with the child's words and an error).
            add_form=add_form,
            new_add_form=AddForm,
            feedback_form=feedback_form or (FeedbackForm() if status.feedback_open else None),
            news_on=news_on,
            answer_forms=answer_forms,
            form=other_form or (add_form if add_form and add_form.errors else feedback_form),
        ),
        code,
    )


@bp.get("/messages/<reference>")
def message(reference: str) -> Response:
    """The status. Opening it with a reply the child has not read records that they read it:
    the first contact, for a child the app is the only way back to (the page says so)."""
    found = contacts.contact_shown(db.session(), reference, held())
    if found is None:
        abort(404)  # the same answer whether it does not exist or is someone else's
    shown, news_on = found
    known = contacts.status(shown)
    if known.reply_unread_since is None:
        return show_message(shown, known=known, news_on=news_on)
    # A reply to record as read (once): the rules record it on the contact itself.
    contact = mine(reference)
    if contacts.read_replies(db.session(), contact, now(), office(), known=known) is not None:
        db.session.commit()
        flash(_("We have replied to you. Our reply is below."))  # announced: role="status"
    return show_message(contact, news_on=news_on)  # the status read again: a new event


@bp.post("/messages/<reference>/questions/<int:question_id>")
def answer_question(reference: str, question_id: int) -> Response:
    contact = mine(reference)
    form = answer_form(question_id)
    if not form.validate():
        return show_message(contact, answering=(question_id, form))
    try:
        contacts.add_to_message(
            db.session(), contact, form.words.data or "", now(), office(), question=question_id
        )
    except contacts.Refused as refused:
        db.session.rollback()
        form.form_errors.append(CHILD_REFUSALS[refused.code])
        return show_message(contact, answering=(question_id, form))
    db.session.commit()
    flash(_("Thank you. We have your answer."))
    return redirect(url_for("child.message", reference=reference), code=303)


@bp.post("/messages/<reference>/add")
def add_to_message(reference: str) -> Response:
    contact = mine(reference)
    form = AddForm()
    if not form.validate():
        return show_message(contact, add_form=form)
    try:
        contacts.add_to_message(db.session(), contact, form.words.data or "", now(), office())
    except contacts.Refused as refused:
        db.session.rollback()
        if refused.code is contacts.Refusal.FINISHED:
            form.form_errors.append(CHILD_REFUSALS[refused.code])  # the box has gone
        else:
            form.words.errors = [CHILD_REFUSALS[refused.code]]
        return show_message(contact, add_form=form)
    db.session.commit()
    flash(_("We have added this to your message."))
    return redirect(url_for("child.message", reference=reference), code=303)


@bp.post("/messages/<reference>/feedback")
def feedback(reference: str) -> Response:
    contact = mine(reference)
    form = FeedbackForm()
    if not form.validate():
        return show_message(contact, feedback_form=form)
    try:
        contacts.give_feedback(
            db.session(),
            contact,
            listened=form.listened.data,
            heard=form.heard.data,
            happy=form.happy.data,
            words=form.words.data or "",
            now=now(),
            office=office(),
        )
    except contacts.Refused as refused:
        db.session.rollback()
        form.form_errors.append(CHILD_REFUSALS[refused.code])
        return show_message(contact, feedback_form=form)
    db.session.commit()
    flash(_("Thank you for telling us how we did."))
    return redirect(url_for("child.message", reference=reference), code=303)


@csrf_exempt  # NotSafeForm checks its own token, so a stale page is explained, not a 400
@bp.post("/messages/<reference>/not-safe")
def message_not_safe(reference: str) -> Response:
    """The child does not feel safe: the rules mark the message urgent and email the mailbox
    and the person it is with, in one transaction; then the page says so, truthfully."""
    contact = mine(reference)
    form = NotSafeForm()
    if not form.validate():
        return show_message(contact, other_form=form, code=400)
    contacts.mark_not_safe(db.session(), contact, now(), office())
    db.session.commit()
    session["urgent"] = contact.reference
    return redirect(
        url_for("child.not_safe", next=url_for("child.message", reference=reference)), code=303
    )


def _locked_words(locked: contacts.Locked) -> str:
    """What the child reads when no words are checked for now: how long, in words, and who
    to call. Said kindly: it is most likely the child, on a new phone, who got them wrong."""
    wait = how_long(locked.until - now())
    phone = council().council.phone
    if locked.everywhere:
        return str(
            _(
                "This message has had too many wrong tries today, so its words will not open it "
                "for %(wait)s. The phone you sent it from can still see it. Or call us on "
                "%(phone)s and we will help.",
                wait=wait,
                phone=phone,
            )
        )
    return str(
        _(
            "Too many wrong tries from here. Wait %(wait)s, then try again. Or call us on "
            "%(phone)s and we will help.",
            wait=wait,
            phone=phone,
        )
    )


@bp.route("/messages/find", methods=["GET", "POST"])
# Per address only, so it never turns on a child somewhere else; the real limits on guessing
# are in the rules (contacts.open_with_words), per address and per reference.
@limiter.limit(configured_limit("LIMIT_STATUS_LOOKUP"), methods=["POST"])
def find_message() -> Response:
    form = FindForm()
    if form.validate_on_submit():
        reference = contacts.normalise_reference(form.reference.data or "")
        if contacts.contact_for(db.session(), reference, held()) is not None:
            # This phone sent it (or opened it before): it needs no words, and no try counts.
            return redirect(url_for("child.message", reference=reference), code=303)
        secret = contacts.new_access_secret()
        try:
            contact = contacts.open_with_words(
                db.session(),
                reference,
                form.words.data or "",
                new_secret=secret,
                address=request.remote_addr or "",
                now=now(),
            )
        except contacts.Locked as locked:
            db.session.rollback()  # nothing was counted or opened
            form.reference.errors = [_locked_words(locked)]
        else:
            db.session.commit()
            if contact is not None:
                remember(secret)
                return redirect(url_for("child.message", reference=contact.reference), code=303)
            form.reference.errors = [
                _("The reference or the words are not right. Check them and try again.")
            ]
    return page(render_template("child/messages/find.html", form=form))


@bp.post("/messages/forget")
def forget_messages() -> Response:
    contacts.revoke_access(db.session(), held())
    db.session.commit()
    session.pop("messages", None)
    session.pop("sent", None)
    flash(_("Your messages are forgotten on this phone."))
    return redirect(url_for("child.my_messages"), code=303)
