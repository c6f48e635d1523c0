"""The base form every form builds on, and the small validators they share."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from babel import support
from flask import has_request_context, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS
from flask_wtf.i18n import translations as flask_wtf_translations
from wtforms import Field, HiddenField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.csrf import core as csrf_core
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in 3.3
from wtforms.i18n import messages_path
from wtforms.validators import Regexp, StopValidation

from app.contacts.text import plain
from app.council import current as council
from app.timekeeping import now

# A phone number as people write it: digits, spaces, brackets, dashes, a leading +.
PHONE = Regexp(
    r"^\+?[0-9][0-9 ()-]{5,19}$",
    message=_l("Write the phone number with numbers only, like 07700 900 982"),
)
EXPIRED = _l("This page was open for a long time. Check your answers, then press the button again.")
FILE_SENT = _l("Type your answer in the box. A file cannot be sent here.")
UNREADABLE = _l("Some of this could not be read. Please type it again.")
UNTYPABLE = _l("This has a character in it that cannot be typed. Please type it again.")
# Where people write in their own words: NUL and the other control characters are taken out
# there (DESIGN.md, "the child's words"). Anywhere else (a password, an email address, a
# choice, a date, a hidden key) nobody can type them, so they are refused in words instead.
FREE_TEXT = (StringField, TextAreaField)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _plain(value: Any) -> Any:
    return plain(value) if isinstance(value, str) else value


class CSRFTokenField(csrf_core.CSRFTokenField):
    """The form's CSRF token, signed when the page shows it rather than when the form is made:
    an answer that is right goes on with a redirect and shows no token, and signing it took
    an answer about 40 us (issue 15). The same token either way: Flask-WTF signs it once a
    request (generate_csrf). Named as WTForms' own: templates and forms know the field by
    its type."""

    def process(self, *args: Any, **kwargs: Any) -> None:
        HiddenField.process(self, *args, **kwargs)  # CSRFTokenField's, but for the signing

    @property
    def current_token(self) -> str:  # type: ignore[override]
        return str(self.csrf_impl.generate_csrf_token(self))


class _CSRF(FlaskForm.Meta.csrf_class):  # type: ignore[misc]
    field_class = CSRFTokenField


class _Catalogue:
    """WTForms' messages in the page's language, the catalogue found when a message is first
    said: an answer that is right says none, and finding the page's language for it took an
    answer about 30 us (issue 15)."""

    def gettext(self, string: str) -> str:
        return str(_wtforms_catalogue(str(get_locale())).gettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(_wtforms_catalogue(str(get_locale())).ngettext(singular, plural, n))


_LATER = _Catalogue()


class BaseForm(FlaskForm):  # type: ignore[misc]
    """A form whose text arrives as the rules will keep it: words exactly as typed, without
    stray spaces around them or characters that have no place in text. So "check your
    answers" shows what staff will read, and an empty-looking answer is asked for again."""

    # Where a refusal that belongs to no one field can be put right (the error summary's link).
    fix_at: str | None = None
    # Text fields that hold a code or a key rather than words (see FREE_TEXT).
    exact: frozenset[str] = frozenset()

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        token = getattr(self, "csrf_token", None)
        if token is not None and token.errors:
            # Said kindly, in the child's language, in the error summary; their answers stay.
            token.errors = [EXPIRED]
        for field in self:
            problem = None if field is token else self._unfit(field)
            if problem is not None:
                field.errors = [problem]
                valid = False
        self._errors = None  # the errors as changed here, not as cached before
        return valid

    def _unfit(self, field: Field) -> Any:
        """Why what arrived for this field is not text a person typed, or None."""
        if not has_request_context():
            return None
        if field.name in request.files:
            return FILE_SENT
        if field.name in getattr(request.form, "unreadable", ()):
            return UNREADABLE  # bytes that are not UTF-8 (app/form_data.py)
        if type(field) in FREE_TEXT and field.short_name not in self.exact:
            return None
        raw = [value for value in field.raw_data or () if isinstance(value, str)]
        return UNTYPABLE if any(_CONTROL.search(value) for value in raw) else None

    class Meta:
        csrf_class = _CSRF

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = [*unbound_field.kwargs.get("filters", ()), _plain]
            return unbound_field.bind(form=form, filters=filters, **options)

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            # Our forms take typed text from an HTML form. Flask-WTF would also read files
            # (a file in a text field then reaches its validators) and a JSON body (a number
            # where text is expected): read the form alone, and refuse a file by name above.
            automatic = formdata is not None and not hasattr(formdata, "getlist")
            if automatic and has_request_context() and (request.is_json or request.files):
                return request.form if request.method in SUBMIT_METHODS else None
            return FlaskForm.Meta.wrap_formdata(self, form, formdata)

        def get_translations(self, form: Any) -> Any:
            # WTForms' own messages in the page's language, as Flask-WTF gives them, but its
            # catalogue read from disk once a language, not once a request (0.7 ms of every
            # form page, issue 15).
            found = FlaskForm.Meta.get_translations(self, form)
            if found is not flask_wtf_translations or not has_request_context():
                return found
            return _LATER


@cache
def _wtforms_catalogue(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def choices(labels: dict[str, Any]) -> list[SelectChoice]:
    """A radios or checkboxes question's choices, from one of app/labels.py's maps."""
    return [SelectChoice(code, words) for code, words in labels.items()]


class CheckboxesField(SelectMultipleField):
    """Choose any number: drawn as checkboxes by the `checkboxes` macro."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class Within:
    """A date and time staff typed (in the council's time zone, as the field gives it), within
    bounds a person could mean. The rules refuse a time in the future or before the message,
    in words; this stops what is not a slip at all (0001 typed for 2001) before it is kept: a
    contact received in year 1 made every tracker load count working hours across 2,000 years.
    """

    def __init__(
        self,
        message: Any,
        *,
        earliest: dt.datetime | None = None,
        back: dt.timedelta | None = None,
        ahead: dt.timedelta = dt.timedelta(days=366),
    ) -> None:
        self.message = message
        self.earliest = earliest
        self.back = back
        self.ahead = ahead

    def __call__(self, form: Any, field: Field) -> None:
        typed: dt.datetime | None = field.data
        if typed is None:
            return
        local = now().astimezone(council().response.zone).replace(tzinfo=None)
        earliest = max(
            self.earliest or dt.datetime.min,
            local - self.back if self.back is not None else dt.datetime.min,
        )
        if not earliest <= typed <= local + self.ahead:
            raise StopValidation(self.message)
