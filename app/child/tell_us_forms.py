"""The questions of "Tell Us, We Care!", one page each, in the words of each age band."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from app import labels
from app.contacts import SHORT_LIMIT, WORDS_LIMIT
from app.forms import PHONE, BaseForm, CheckboxesField, choices
from app.i18n import lazy_gettext as _l

TOO_LONG = _l(
    "Your message is longer than %(limit)s letters. Make it shorter, or send the rest as an "
    "extra message after this one. Nothing you wrote has been lost.",
    limit=f"{WORDS_LIMIT:,}",
)
SHORT_TOO_LONG = _l("Write this in %(limit)s letters or fewer", limit=SHORT_LIMIT)
YES_NO = choices(labels.YES_NO)


class WhatForm(BaseForm):
    kind = RadioField(
        _l("What do you want to tell us?"),
        choices=choices(labels.CHILD_KINDS["10_plus"]),
        validators=[InputRequired(_l("Choose what you want to tell us"))],
    )

    def for_band(self, band: str | None) -> WhatForm:
        """The choices in the words of this age band."""
        self.kind.choices = choices(kind_words(band))
        return self


def kind_words(band: str | None) -> labels.Labels:
    """Each kind of message in the words of this age band (10 and over unless it has its own)."""
    return labels.CHILD_KINDS.get(band or "") or labels.CHILD_KINDS["10_plus"]


class PromisesForm(BaseForm):
    promises = CheckboxesField(
        _l("Which promise is it about?"),
        description=_l("Choose all that fit."),
        validators=[InputRequired(_l("Choose a promise, or choose “Something else”"))],
    )


class WordsForm(BaseForm):
    words = TextAreaField(
        _l("What happened?"),
        description=_l("Tell us in your own words. Write as much or as little as you like."),
        validators=[
            DataRequired(_l("Tell us what happened")),
            Length(max=WORDS_LIMIT, message=TOO_LONG),
        ],
    )


class PraiseForm(BaseForm):
    praise_name = StringField(
        _l("Who do you want to praise?"),
        description=_l("Their name, or what you call them."),
        validators=[
            DataRequired(_l("Tell us who you want to praise")),
            Length(max=SHORT_LIMIT, message=SHORT_TOO_LONG),
        ],
    )
    praise_role = RadioField(
        _l("What do they do?"),
        choices=choices(labels.PRAISE_ROLES),
        validators=[InputRequired(_l("Choose what they do"))],
    )
    words = TextAreaField(
        _l("What did they do?"),
        description=_l("Tell us in your own words."),
        validators=[
            DataRequired(_l("Tell us what they did")),
            Length(max=WORDS_LIMIT, message=TOO_LONG),
        ],
    )
    praise_may_pass_on = BooleanField(
        _l("You can pass my thanks on to them straight away"),
        description=_l("If you leave this empty, we will talk to you first."),
    )


# "How can we get back to you?" and "What would help you talk?", one question a page (the
# words each age reads are in app/easyread/words.py; these are the 10-and-over words).
class NameForm(BaseForm):
    name = StringField(
        _l("What should we call you? (optional)"),
        validators=[
            Optional(),
            Length(max=60, message=_l("Write your name in 60 letters or fewer")),
        ],
    )


class HowForm(BaseForm):
    how = RadioField(
        _l("How should we get back to you? (optional)"),
        choices=choices(labels.REACH_HOW),
        validators=[Optional()],
    )


class PhoneForm(BaseForm):
    """Asked only after the child chose a phone call or a text: then the number is needed."""

    phone = StringField(
        _l("What phone number should we use?"),
        validators=[DataRequired(_l("Write the phone number we should use")), PHONE],
    )


class EmailForm(BaseForm):
    """Asked only after the child chose email."""

    email = StringField(
        _l("What email address should we use?"),
        validators=[
            DataRequired(_l("Write the email address we should use")),
            Length(max=SHORT_LIMIT, message=SHORT_TOO_LONG),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message=_l("Write the email address like name@example.com"),
            ),
        ],
    )


class LeaveMessageForm(BaseForm):
    leave_message = RadioField(
        _l("Can we leave a message if you do not answer? (optional)"),
        choices=YES_NO,
        validators=[Optional()],
    )


class BestTimeForm(BaseForm):
    best_time = StringField(
        _l("When is a good time to talk? (optional)"),
        validators=[Optional(), Length(max=SHORT_LIMIT, message=SHORT_TOO_LONG)],
    )


class LanguageForm(BaseForm):
    language = StringField(
        _l("Which language would you like to talk in? (optional)"),
        validators=[Optional(), Length(max=60, message=SHORT_TOO_LONG)],
    )


class InterpreterForm(BaseForm):
    interpreter = RadioField(
        _l("Would you like an interpreter? (optional)"), choices=YES_NO, validators=[Optional()]
    )


class HelpsForm(BaseForm):
    helps = CheckboxesField(
        _l("Is there anything that helps you talk? (optional)"),
        choices=choices(labels.HELPS),
        validators=[Optional()],
    )
    helps_other = StringField(
        _l("Something else that helps you talk (optional)"),
        validators=[Optional(), Length(max=SHORT_LIMIT, message=SHORT_TOO_LONG)],
    )


class AdvocateForm(BaseForm):
    advocate = RadioField(
        _l("Would you like an advocate? (optional)"),
        choices=choices(labels.YES_NO_NOT_SURE),
        validators=[Optional()],
    )


class HelperForm(BaseForm):
    helper = RadioField(
        _l("Who helped you write this?"),
        choices=choices(labels.CHILD_HELPERS),
        validators=[InputRequired(_l("Choose who helped you, or “Nobody”"))],
    )


class SendForm(BaseForm):
    # The one-time key that makes a double click or a replay one message, not two.
    submission_key = HiddenField(validators=[InputRequired(), Length(max=64)])


class UrgentForm(BaseForm):
    """ "Send an urgent message now", from the page that says who to call."""

    # What the child has written so far goes only if they choose it: nothing is pre-ticked.
    include = BooleanField(_l("Send what I have written so far with it"))
    submission_key = HiddenField(validators=[InputRequired(), Length(max=64)])


class NotSafeForm(BaseForm):
    """ "I don't feel safe right now" on a message already sent: the token, nothing else."""


class AddForm(BaseForm):
    words = TextAreaField(
        _l("Add to your message"),
        description=_l("Something you forgot to say, or something new."),
        validators=[
            DataRequired(_l("Write what you want to add")),
            Length(max=WORDS_LIMIT, message=TOO_LONG),
        ],
    )


FEEDBACK_CHOICES = choices(labels.FEEDBACK)


class FeedbackForm(BaseForm):
    listened = RadioField(
        _l("Did you feel listened to?"),
        choices=FEEDBACK_CHOICES,
        validators=[InputRequired(_l("Choose an answer to “Did you feel listened to?”"))],
    )
    heard = RadioField(
        _l("Did you feel heard?"),
        choices=FEEDBACK_CHOICES,
        validators=[InputRequired(_l("Choose an answer to “Did you feel heard?”"))],
    )
    happy = RadioField(
        _l("Are you happy with what happened?"),
        choices=FEEDBACK_CHOICES,
        validators=[InputRequired(_l("Choose an answer to “Are you happy with what happened?”"))],
    )
    words = TextAreaField(
        _l("Anything else you want to tell us? (optional)"),
        validators=[Optional(), Length(max=WORDS_LIMIT, message=TOO_LONG)],
    )


class FindForm(BaseForm):
    reference = StringField(
        _l("Your reference"),
        description=_l("It has 6 letters and numbers, like K7F3H9."),
        validators=[DataRequired(_l("Write your reference")), Length(max=20)],
    )
    words = StringField(
        _l("Your three words"),
        description=_l("The three words you were given when you sent your message."),
        validators=[DataRequired(_l("Write your three words")), Length(max=80)],
    )
