"""The child's choices, kept on their own device in the session cookie, never on the server.

Age band and symbol mode choose the words every child page uses; the display choices how they
look (app/child/display.py); "my promise card" keeps the social worker's name and number the
way the printed card's "Me: ___ Tel: ___" does. The quick exit forgets all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import session

from app import offline_choices
from app.council import Form


class AgeBand(StrEnum):
    UNDER_5 = "under_5"
    FIVE_TO_NINE = "5_to_9"
    TEN_PLUS = "10_plus"

    @property
    def form(self) -> Form:
        """The printed version of the promise written for this age."""
        return {
            AgeBand.UNDER_5: Form.STORY,
            AgeBand.FIVE_TO_NINE: Form.POSTER,
            AgeBand.TEN_PLUS: Form.CARD,
        }[self]


class Display(StrEnum):
    """How the pages look: each a class on <html>, `display-<value>` (css/display*.css)."""

    LARGER = "larger"
    CONTRAST = "contrast"
    DYSLEXIC = "dyslexic"
    STILL = "still"


@dataclass(frozen=True)
class Preferences:
    age: AgeBand | None = None
    symbols: bool = False
    display: frozenset[Display] = frozenset()
    worker_name: str = ""
    worker_phone: str = ""

    @classmethod
    def current(cls) -> Preferences:
        wanted = offline_choices.asked()
        if wanted is not None:  # the service worker, keeping pages in the child's choices
            return cls(
                age=AgeBand(wanted["age"]) if wanted["age"] in set(AgeBand) else None,
                symbols=wanted["symbols"],
                display=frozenset(Display(d) for d in wanted["display"] if d in set(Display)),
            )
        age = session.get("age")
        return cls(
            age=AgeBand(age) if age in set(AgeBand) else None,
            symbols=session.get("symbols") is True,
            display=frozenset(
                Display(choice) for choice in session.get("display", ()) if choice in set(Display)
            ),
            worker_name=str(session.get("worker_name", "")),
            worker_phone=str(session.get("worker_phone", "")),
        )

    @property
    def has_card(self) -> bool:
        return bool(self.worker_name or self.worker_phone)

    def save(self) -> None:
        session.permanent = True
        session["age"] = self.age.value if self.age else None
        session["symbols"] = self.symbols
        if self.display:
            session["display"] = sorted(self.display)
        else:
            session.pop("display", None)
        if self.has_card:
            session["worker_name"] = self.worker_name
            session["worker_phone"] = self.worker_phone
        else:
            session.pop("worker_name", None)
            session.pop("worker_phone", None)
