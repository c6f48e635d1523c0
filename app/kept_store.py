"""What a worker makes once and keeps: child pages (app/child/kept_pages.py), parts of pages
(app/kept_parts.py) and Tell Us questions (app/child/tell_us_kept.py), each in its own store.

A store lives in the app's extensions, so each worker, and each test app, has its own. It is
bounded crudely: when full it is emptied, and what it held is made again on demand, never
wrong. `showing()` is what every kept thing depends on besides itself: the page's language and
how the child chose to see it.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from flask import Flask, current_app
from flask_babel import get_locale

from app.preferences import Preferences

T = TypeVar("T")


class Store(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name  # its key in app.extensions

    def _held(self) -> dict[Any, T]:
        held: dict[Any, T] = current_app.extensions.setdefault(self.name, {})
        return held

    def get(self, key: Any) -> T | None:
        return self._held().get(key)

    def put(self, key: Any, made: T, most: int) -> T:
        held = self._held()
        if len(held) >= most:
            held.clear()  # a crude bound: made again on demand, never wrong
        held[key] = made
        return made

    def forget(self, app: Flask) -> None:
        """Make everything afresh from now on (the tests' shared app, between tests)."""
        app.extensions.pop(self.name, None)


def showing(prefs: Preferences) -> tuple[Any, ...]:
    """The page's language and the child's age band, symbol mode and display choices."""
    return (str(get_locale()), prefs.age, prefs.symbols, prefs.display)
