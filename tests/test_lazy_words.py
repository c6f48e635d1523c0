"""Labels said later (app/i18n.py `lazy_gettext`) say what Flask-Babel's own lazy_gettext says:
in the page's language, with their placeholders filled, and in the service's language inside
`for_staff` (staff emails composed during a child's request in another language)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import lazy_gettext as babel_lazy_gettext

from app import labels
from app.i18n import for_staff, lazy_gettext

SAID = [
    ("Choose what you want to tell us", {}),
    ("Write this in %(limit)s letters or fewer", {"limit": 200}),
    ("A promise was kept really well", {}),
]


@pytest.mark.parametrize("lang", ["en", "ar", "pl"])
def test_said_later_as_flask_babel_says_it(app: Flask, lang: str) -> None:
    with app.test_request_context("/tell-us", headers={"Accept-Language": lang}):
        for string, variables in SAID:
            ours = lazy_gettext(string, **variables)
            babels = babel_lazy_gettext(string, **variables)
            assert str(ours) == str(babels)
            assert ours.__html__() == babels.__html__()
        if lang == "ar":  # really translated, not English twice
            assert str(lazy_gettext(SAID[2][0])) != SAID[2][0]


def test_said_for_staff_in_the_services_language(app: Flask) -> None:
    @for_staff
    def email_line() -> str:
        return str(labels.CHILD_KINDS["10_plus"]["kept_well"])

    with app.test_request_context("/tell-us", headers={"Accept-Language": "ar"}):
        in_arabic = str(labels.CHILD_KINDS["10_plus"]["kept_well"])  # the catalogue, kept
        assert email_line() == "A promise was kept really well" != in_arabic
        assert str(labels.CHILD_KINDS["10_plus"]["kept_well"]) == in_arabic
