"""The child's choices, kept on their own device in the session cookie, never on the server.

Age band and symbol mode choose the words every child page uses; the display choices how they
look (app/child/display.py); "my promise card" keeps the social worker's name and number the
way the printed card's "Me: ___ Tel: ___" does. The quick exit forgets all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from flask import g, session
from flask.sessions import SessionMixin

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
        """The choices the session holds now (or the service worker asked for). A page asks
        for them about twenty times (every symbol and every "said for this age" line), so they
        are read once a request and made again only when the session's own values differ (a
        choice saved, the quick exit)."""
        # The session itself, through Flask's proxy once rather than six times.
        cookie: SessionMixin = cast(Any, session)._get_current_object()
        made: tuple[SessionMixin, tuple[object, ...] | None, Preferences] | None = g.get(
            "preferences"
        )
        if made is not None and made[0] is cookie and not cookie.modified:
            return made[2]  # this request's session, unchanged since they were read
        wanted = offline_choices.asked()
        if wanted is not None:  # the service worker, keeping pages in the child's choices
            found = cls(
                age=AgeBand(wanted["age"]) if wanted["age"] in _AGES else None,
                symbols=wanted["symbols"],
                display=frozenset(Display(d) for d in wanted["display"] if d in _DISPLAYS),
            )
            g.preferences = (cookie, None, found)
            return found
        held = cookie.get("display", ())
        raw = (
            cookie.get("age"),
            cookie.get("symbols"),
            tuple(held) if isinstance(held, list | tuple) else held,
            cookie.get("worker_name", ""),
            cookie.get("worker_phone", ""),
        )
        found = made[2] if made is not None and made[1] == raw else cls._of(*raw)
        g.preferences = (cookie, raw, found)
        return found

    @classmethod
    def _of(
        cls, age: object, symbols: object, display: object, name: object, phone: object
    ) -> Preferences:
        return cls(
            age=AgeBand(str(age)) if age in _AGES else None,
            symbols=symbols is True,
            display=frozenset(
                Display(choice)
                for choice in (display if isinstance(display, tuple) else ())
                if choice in _DISPLAYS
            ),
            worker_name=str(name),
            worker_phone=str(phone),
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


_AGES = frozenset(AgeBand)
_DISPLAYS = frozenset(Display)
