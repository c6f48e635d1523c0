"""The child's questions and answers in three registers, beside the symbol lines.

Each age reads its own words (CHILD-DESIGN.md: three groups behave differently): under 5 with
a grown-up sharing the phone, 5 to 9 beginning readers, 10 and over who skim like adults and
dislike anything babyish. Symbol mode reads the 5-to-9 words, one idea a line, with the
question's symbol on the start side. Every string goes through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

UNDER_5, FIVE_TO_NINE, TEN_PLUS = "under_5", "5_to_9", "10_plus"


@dataclass(frozen=True)
class Said:
    """One thing said to each age: the 10-and-over words, and the younger ones where they differ
    (under 5 falls back to 5 to 9, which falls back to 10 and over)."""

    older: Any  # lazy gettext strings
    younger: Any = None
    youngest: Any = None

    def to(self, band: str | None, symbols: bool = False) -> Any:
        if symbols:
            band = FIVE_TO_NINE if band != UNDER_5 else band
        if band == UNDER_5:
            return self.youngest or self.younger or self.older
        if band == FIVE_TO_NINE:
            return self.younger or self.older
        return self.older


@dataclass(frozen=True)
class Question:
    symbol: str
    text: Said
    hint: Said | None = None


OPTIONAL = _l("(optional)")

QUESTIONS: dict[str, Question] = {
    "what": Question(
        "💬",
        Said(_l("What do you want to tell us?")),
        Said(
            _l("Choose one."),
            _l("Choose one."),
            _l("A grown-up can read the choices with you. Choose one."),
        ),
    ),
    "promises": Question(
        "🤝",
        Said(_l("Which promise is it about?")),
        Said(
            _l("Choose all that fit."),
            _l("You can choose more than one."),
            _l("Your grown-up can read them to you. You can choose more than one."),
        ),
    ),
    "words": Question(
        "✍️",
        Said(_l("What happened?")),
        Said(
            _l("Tell us in your own words. Write as much or as little as you like."),
            _l("Tell us in your own words. It can be short."),
            _l("A grown-up can write it for you, in your words."),
        ),
    ),
    "name": Question(
        "🙋",
        Said(_l("What should we call you? (optional)"), _l("What is your name? (optional)")),
        Said(
            _l("Your first name or a nickname. You can leave this empty and stay anonymous."),
            _l("You can use a nickname. You do not have to tell us."),
            _l("A grown-up can write it. You do not have to tell us."),
        ),
    ),
    "how": Question(
        "📞",
        Said(
            _l("How should we get back to you? (optional)"),
            _l("How can we talk to you? (optional)"),
        ),
        Said(
            _l("If you do not choose, we can only answer you here, in this app."),
            _l("You do not have to choose. Then we answer you here, in this app."),
            _l("Your grown-up can help you choose. If you do not, we answer you here."),
        ),
    ),
    "phone": Question(
        "📱",
        Said(_l("What phone number should we use?"), _l("What number should we ring or text?")),
        Said(
            _l("We only use it to talk to you about this message."),
            None,
            _l("Your grown-up can help. We only use it to talk to you about this."),
        ),
    ),
    "email": Question(
        "📧",
        Said(_l("What email address should we use?"), _l("What is your email address?")),
        Said(
            _l("We only use it to talk to you about this message."),
            None,
            _l("Your grown-up can help. We only use it to talk to you about this."),
        ),
    ),
    "leave_message": Question(
        "☎️",
        Said(
            _l("Can we leave a message if you do not answer? (optional)"),
            _l("If you do not answer, can we leave a message? (optional)"),
        ),
        Said(
            _l("Choose “No” if someone else might listen to your messages."),
            _l("Say no if someone else might hear it."),
            _l("Ask your grown-up. Say no if someone else might hear it."),
        ),
    ),
    "best_time": Question(
        "⏰",
        Said(_l("When is a good time to talk? (optional)")),
        Said(
            _l("For example, after school."),
            _l("Like after school, or at the weekend."),
            _l("Like after nursery or school, or at the weekend."),
        ),
    ),
    "language": Question(
        "🗣️",
        Said(
            _l("Which language would you like to talk in? (optional)"),
            _l("What language do you like to talk in? (optional)"),
        ),
        Said(
            _l("Leave it empty if you are happy to talk in the language of this app."),
            _l("You do not have to say."),
            _l("Your grown-up can tell us. You do not have to say."),
        ),
    ),
    "interpreter": Question(
        "👥",
        Said(
            _l("Would you like an interpreter? (optional)"),
            _l("Would you like someone to help us understand each other? (optional)"),
        ),
        Said(
            _l("An interpreter says what we say in your language, and what you say in ours."),
            _l("This person is called an interpreter. They speak your language and ours."),
            _l("This person speaks your language and ours. Then we understand each other."),
        ),
    ),
    "helps": Question(
        "🖼️",
        Said(
            _l("Is there anything that helps you talk? (optional)"),
            _l("What helps you talk to people? (optional)"),
        ),
        Said(
            _l("Choose all that fit."),
            _l("You can choose more than one."),
            _l("Your grown-up can help you choose. You can choose more than one."),
        ),
    ),
    "advocate": Question(
        "🙋",
        Said(
            _l("Would you like an advocate? (optional)"),
            _l("Would you like someone on your side to help you say what you want? (optional)"),
        ),
        Said(
            _l(
                "An advocate is someone on your side who helps you say what you want. They do not "
                "work for your social work team."
            ),
            _l("This person is called an advocate. They are not your social worker."),
            _l(
                "This person is called an advocate. They are on your side and help you say what "
                "you want."
            ),
        ),
    ),
    "helper": Question(
        "🤝",
        Said(
            _l("Who helped you write this?"),
            _l("Did someone help you write this?"),
            _l("Who helped you?"),
        ),
    ),
}

# The answers' words for younger children, where the 10-and-over words (app/labels.py) are
# too hard. A code not named here keeps its labels.py words.
YOUNGER_CHOICES: dict[str, dict[str, Any]] = {
    "how": {
        "phone": _l("Ring me"),
        "text": _l("Send me a text"),
        "email": _l("Send me an email"),
        "social_worker": _l("Tell my social worker"),
        "carer": _l("Tell my carer"),
        "iro": _l("Tell my IRO"),
        "app_only": _l("Only here in the app. I don't want to say who I am"),
    },
    "helps": {
        "symbols": _l("Pictures"),
        "bsl": _l("Sign language (BSL)"),
        "someone_with_me": _l("Someone with me"),
        "more_time": _l("More time"),
    },
    "helper": {
        "nobody": _l("Nobody. I did it myself"),
    },
}

# A picture for each answer, beside it in symbol mode (and the faces of "How did we do?").
CHOICE_SYMBOLS: dict[str, dict[str, str]] = {
    "how": {
        "phone": "📞",
        "text": "📱",
        "email": "📧",
        "social_worker": "🧑‍💼",
        "carer": "🏡",
        "iro": "🧑",
        "app_only": "🔒",
    },
    "leave_message": {"yes": "👍", "no": "👎"},
    "interpreter": {"yes": "👍", "no": "👎"},
    "advocate": {"yes": "👍", "no": "👎", "not_sure": "🤔"},
    "helps": {"symbols": "🖼️", "bsl": "👂", "someone_with_me": "👥", "more_time": "⏰"},
    "helper": {
        "nobody": "✍️",
        "carer": "🏡",
        "social_worker": "🧑‍💼",
        "iro": "🧑",
        "advocate": "🙋",
        "someone_else": "👥",
    },
    "praise_role": {
        "social_worker": "🧑‍💼",
        "carer": "🏡",
        "iro": "🧑",
        "teacher": "🏫",
        "someone_else": "👥",
    },
}


def question(step: str, band: str | None, symbols: bool = False) -> tuple[Any, Any]:
    """A step's question and hint, in the words of this age (or of symbol mode)."""
    asked = QUESTIONS[step]
    return asked.text.to(band, symbols), asked.hint.to(band, symbols) if asked.hint else None


def choice_words(
    field: str, labels: dict[str, Any], band: str | None, symbols: bool
) -> dict[str, Any]:
    """The answers of `field` in the words of this age: younger words under 10 and in symbols."""
    if band == TEN_PLUS and not symbols:
        return labels
    return {**labels, **{k: v for k, v in YOUNGER_CHOICES.get(field, {}).items() if k in labels}}


def symbols() -> set[str]:
    """Every emoji these words draw, for `make vendor`."""
    found = {asked.symbol for asked in QUESTIONS.values()}
    return found | {s for by_code in CHOICE_SYMBOLS.values() for s in by_code.values()}


# What the guide character says on a page, to under-10s (under 5, then 5 to 9).
GUIDE: dict[str, Said] = {
    "home": Said(
        None,
        _l("Hi! I can show you the promises. You can tell us how we are doing, too."),
        _l("Hello! Shall we read the promises with your grown-up?"),
    ),
    "tell_start": Said(
        None,
        _l("You can tell us good things and bad things. We want to hear them all."),
        _l("You can tell us about something good, or something that was not right."),
    ),
    "step": Said(
        None,
        _l("Take your time. There are no wrong answers."),
        _l("Take your time. Your grown-up can help."),
    ),
    "check": Said(None, _l("Look at your answers. You can change any of them.")),
    "sent": Said(
        None,
        _l("Thank you for telling us. We have your message."),
        _l("Thank you for telling us!"),
    ),
}


def guide(page: str, band: str | None) -> Any:
    """What the guide says on `page` to this age, or None from 10 (a calm, plain look)."""
    if band not in (UNDER_5, FIVE_TO_NINE):
        return None
    return GUIDE[page].to(band)


# The words of the child's pages that differ by age: home, Tell Us start, the confirmation and
# the status page. Placeholders are filled by `say`.
PAGE_WORDS: dict[str, Said] = {
    "home_lead": Said(
        _l("%(council)s makes promises to every child and young person in its care."),
        _l("We make promises to you. They say how we will look after you."),
        _l("We made some promises to you. A grown-up can read them with you."),
    ),
    "home_tell": Said(
        _l(
            "Good news or bad news, we want to hear it. Tell us if we have not kept a promise, "
            "if we kept one really well, or if someone worked hard for you and should be praised."
        ),
        _l("You can tell us how we are doing. Tell us good things and bad things."),
        _l("You can tell us if something is good, or not right. A grown-up can help."),
    ),
    "back_within": Said(
        _l(
            "We will get back to you within %(hours)s hours (%(days)s) to talk about what you "
            "want to happen next."
        ),
        _l("We will talk to you within %(hours)s hours, %(days)s."),
    ),
    "first": Said(
        _l(
            "We will speak to you first, before we talk to anyone else. The only time we would "
            "not do this is if you tell us something that makes us worried for your safety."
        ),
        _l(
            "We will talk to you first, before anyone else. If we are worried you are not "
            "safe, we must tell people who can help."
        ),
    ),
    "leave": Said(
        _l(
            "Press “Exit this page” at the top of every page, or press the Shift key three "
            "times. The app forgets your choices on this phone and opens a weather website "
            "instead."
        ),
        _l(
            "Press “Exit this page” at the top, or press Shift three times. A weather page "
            "opens instead."
        ),
    ),
    "start_lead": Said(
        _l(
            "Tell us how we are doing at keeping our promises to you. Good news or bad news, "
            "we want to hear it."
        ),
        _l("Tell us how we are doing. Good things and bad things."),
        _l("You and your grown-up can tell us about something good, or something not right."),
    ),
    "start_goes_to": Said(
        _l(
            "Your message goes to the %(team)s at %(council)s. We will talk to you within "
            "%(hours)s hours (%(days)s) about what you want to happen next."
        ),
        _l(
            "Your message goes to the %(team)s. They will talk to you within %(hours)s "
            "hours, %(days)s."
        ),
    ),
    "sent_next": Said(
        _l("Someone will talk to you by %(when)s."),
        _l("Someone will talk to you by %(when)s."),
    ),
    "sent_first": Said(
        _l(
            "We will speak to you first, before anyone else, unless we are worried about "
            "your safety."
        ),
        _l(
            "We will talk to you first, before anyone else. Unless we are worried you are not safe."
        ),
    ),
    "status_sent": Said(
        _l("We have your message. Someone will talk to you by %(when)s."),
        _l("We have your message. Someone will talk to you by %(when)s."),
    ),
    "status_read": Said(
        _l("The %(team)s has read your message. Someone will talk to you by %(when)s."),
        _l("The %(team)s has read your message. Someone will talk to you by %(when)s."),
    ),
    "status_person": Said(
        _l("%(name)s, %(role)s, will talk to you by %(when)s."),
        _l("%(name)s will talk to you by %(when)s. %(name)s is %(role)s."),
    ),
    "status_talked": Said(
        _l("%(name)s has talked with you about your message."),
        _l("%(name)s has talked with you."),
    ),
    "status_talked_nobody": Said(
        _l("Someone has talked with you about your message."),
        _l("Someone has talked with you."),
    ),
    "status_sorting": Said(
        _l("We are sorting it out. Here is what is happening."),
        _l("We are sorting it out. Here is what is happening."),
    ),
    "status_finished": Said(
        _l("Your message is finished."),
        _l("Your message is finished. Thank you for telling us."),
    ),
}


def say(key: str, band: str | None, symbols: bool = False, **values: Any) -> str:
    """Words of a page for this age, with their placeholders filled."""
    text = str(PAGE_WORDS[key].to(band, symbols))
    return text % values if values else text


# The picture beside each row of "check your answers", by the step that changes it.
CHECK_SYMBOLS: dict[str, str] = {step: question.symbol for step, question in QUESTIONS.items()}
CHECK_SYMBOLS["contact"] = "📱"
