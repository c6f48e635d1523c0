"""Easy-read versions of the app's own child pages, for symbol mode.

One idea a line, short words, a symbol beside each line (the symbol repeats the text, so
it is drawn with alt=""). Lines may name the council's details as %(phone)s and the like;
the page fills them in. The promises' own easy read is council content, in council.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.council import symbol_filename
from app.easyread import words
from app.labels import CHOICE_SYMBOLS


@dataclass(frozen=True)
class Line:
    symbol: str
    text: str | Markup  # a lazy gettext string; str for the type checker

    @property
    def symbol_file(self) -> str:
        return symbol_filename(self.symbol)


PAGES: dict[str, tuple[Line, ...]] = {
    "home": (
        Line("🤝", _l("We make promises to you.")),
        Line("👥", _l("Young people in care helped us write them.")),
        Line("📖", _l("You can read the promises here.")),
        Line("💬", _l("You can tell us how we are doing.")),
        Line("😊", _l("Good news or bad news. We want to hear it.")),
    ),
    "choose": (
        Line("🧒", _l("Tell us how old you are.")),
        Line("📖", _l("Then we show the promises in the best words for you.")),
        Line("🖼️", _l("You can turn symbols on or off.")),
        Line("🔒", _l("This phone remembers your choice. We do not.")),
    ),
    "promises": (
        Line("🤝", _l("These are our promises to you.")),
        Line("🙋", _l("Your social worker should talk to you about them.")),
    ),
    "stories": (
        Line("📖", _l("Pick a friend to read the promises with you.")),
        Line("🧑", _l("A grown-up can read it with you.")),
    ),
    "talk": (
        Line("🗣️", _l("First, talk to someone who can help.")),
        Line("🧑‍💼", _l("This can be your social worker.")),
        Line("🏡", _l("It can be your carer.")),
        Line("🧑", _l("It can be your IRO.")),
        Line("ℹ️", _l("An IRO checks your care plan is right for you.")),
        Line("📞", _l("You can also call or email the %(team)s.")),
    ),
    "my_card": (
        Line("🪪", _l("Keep your social worker's name and phone number here.")),
        Line("📱", _l("They are kept on this phone only.")),
        Line("🔒", _l("We do not keep them.")),
        Line("🚪", _l("The quick exit forgets them.")),
    ),
    "help": (
        Line("🆘", _l("Are you in danger now? Call 999.")),
        Line("📞", _l("Need help at night or at the weekend? Call the emergency duty team.")),
        Line("☎️", _l("You can call Childline on 0800 1111. It is free.")),
        Line("🗣️", _l("You can talk to Childline about anything.")),
    ),
    "privacy": (
        Line("🔒", _l("We keep your information safe.")),
        Line("📱", _l("Your choices are kept on this phone, not by us.")),
        Line("🙅", _l("We do not show you adverts.")),
        Line("🙅", _l("We do not track you.")),
        Line("🛡️", _l("If you are not safe, we must tell people who can help.")),
        Line("❓", _l("You can ask what we know about you.")),
    ),
    "accessibility": (
        Line("♿", _l("We want everyone to be able to use this app.")),
        Line("🖼️", _l("You can use symbols.")),
        Line("⌨️", _l("You can use a keyboard or a switch.")),
        Line("📧", _l("Tell us if something is hard to use.")),
    ),
    "credits": (
        Line("🖼️", _l("The pictures are from OpenMoji.")),
        Line("🙏", _l("Thank you to the people who made them.")),
    ),
    "tell_start": (
        Line("💬", _l("You can tell us how we are doing.")),
        Line("👍", _l("Tell us if a promise was kept really well.")),
        Line("👎", _l("Tell us if a promise was not kept.")),
        Line("🏆", _l("Tell us if someone worked hard for you.")),
        Line("⏰", _l("We will talk to you within %(hours)s hours, %(days)s.")),
        Line("🗣️", _l("We will talk to you first, before anyone else.")),
    ),
    "tell_what": (Line("💬", _l("Choose one.")),),
    "tell_promises": (
        Line("🤝", _l("Which promise is it about?")),
        Line("✅", _l("You can choose more than one.")),
    ),
    "tell_words": (
        Line("✍️", _l("Write what happened.")),
        Line("🧑", _l("A grown-up can help you write it.")),
    ),
    "tell_reach": (
        Line("📞", _l("Tell us how to talk to you.")),
        Line("🙅", _l("You do not have to.")),
        Line("📱", _l("You can check for our answer in this app.")),
    ),
    "tell_support": (
        Line("🗣️", _l("Tell us what helps you talk.")),
        Line("🙋", _l("An advocate can help you say what you want.")),
    ),
    "tell_helper": (Line("🤝", _l("Did someone help you write this?")),),
    "tell_check": (
        Line("👀", _l("Check your message.")),
        Line("✏️", _l("You can change it.")),
        Line("🛡️", _l("If you are not safe, we must tell people who can help.")),
        Line("📮", _l("Then send it.")),
    ),
    "tell_sent": (
        Line("✅", _l("We have your message.")),
        Line("🗓️", _l("We will talk to you soon.")),
        Line("🗣️", _l("We will talk to you first, before anyone else.")),
    ),
    "not_safe": (
        Line("🆘", _l("Are you in danger now? Call 999.")),
        Line("☎️", _l("You can call Childline on 0800 1111. It is free.")),
        Line("🧑", _l("Tell a grown-up you trust.")),
        Line("📮", _l("If you send us a message now, a person looks at it first.")),
    ),
    "messages": (
        Line("📮", _l("These are the messages you sent from this phone.")),
        Line("👀", _l("You can see what is happening.")),
    ),
    "message": (
        Line("👀", _l("This is what is happening with your message.")),
        Line("✍️", _l("You can add to your message.")),
    ),
    "handed_over": (
        Line("📮", _l("Your message has gone to the complaints team.")),
        Line("✅", _l("You said yes to this.")),
        Line("🗓️", _l("They know when you first told us.")),
        Line("🗣️", _l("They will talk to you.")),
        Line("👀", _l("You can still see your message here.")),
    ),
    "message_reply": (
        Line("💬", _l("We wrote to you. Our answer is here.")),
        Line("👀", _l("When you open this page, we can see you read it.")),
    ),
    "message_question": (
        Line("❓", _l("We have a question for you.")),
        Line("✍️", _l("You can write your answer in the box.")),
        Line("📮", _l("Then press the button to send it.")),
        Line("🙅", _l("You do not have to answer.")),
    ),
    "find": (
        Line("🔎", _l("Find your message on this phone.")),
        Line("🔑", _l("You need your reference and your three words.")),
    ),
    "print": (
        Line("🖨️", _l("You can print the promises.")),
        Line("✏️", _l("You can write names on them.")),
    ),
}


# Drawn by the shared macros in symbol mode: beside a hint, an error, a button, a choice.
EXTRA_SYMBOLS = {"ℹ️", "⚠️", "👉", "✅", "⭐", "👈", "📮"}


def lines(page: str) -> tuple[Line, ...]:
    return PAGES[page]


def symbols() -> set[str]:
    """Every emoji the easy-read pages draw, so `make vendor` can fetch each one."""
    drawn = {line.symbol for page in PAGES.values() for line in page} | words.symbols()
    return drawn | set(CHOICE_SYMBOLS.values()) | EXTRA_SYMBOLS | template_symbols()


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# An emoji the templates name in quotes: mark("🖨️"), said_line("📮", ...), symbol="🔑".
_QUOTED_EMOJI = re.compile(
    r"[\"']([\u2100-\u2bff\U0001f000-\U0001faff][\u200d\ufe0f\u2100-\u2bff\U0001f000-\U0001faff]*)[\"']"
)


def template_symbols() -> set[str]:
    """Every emoji the templates draw by name, so `make vendor` fetches each one."""
    return {
        found
        for template in TEMPLATES.rglob("*.html")
        for found in _QUOTED_EMOJI.findall(template.read_text(encoding="utf-8"))
    }
