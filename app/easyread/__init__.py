"""Easy-read versions of the app's own child pages, for symbol mode.

One idea a line, short words, a symbol beside each line (the symbol repeats the text, so
it is drawn with alt=""). Lines may name the council's details as %(phone)s and the like;
the page fills them in. The promises' own easy read is council content, in council.toml.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.council import symbol_filename


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
        Line("📞", _l("You can also call or email the Tell Us team.")),
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
    "print": (
        Line("🖨️", _l("You can print the promises.")),
        Line("✏️", _l("You can write names on them.")),
    ),
}


def lines(page: str) -> tuple[Line, ...]:
    return PAGES[page]


def symbols() -> set[str]:
    """Every emoji the easy-read pages draw, so `make vendor` can fetch each one."""
    return {line.symbol for page in PAGES.values() for line in page}
