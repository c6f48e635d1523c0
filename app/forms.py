"""The base form every form builds on, and the small validators they share."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in 3.3
from wtforms.validators import Regexp

from app.contacts.text import plain

# A phone number as people write it: digits, spaces, brackets, dashes, a leading +.
PHONE = Regexp(
    r"^\+?[0-9][0-9 ()-]{5,19}$",
    message=_l("Write the phone number with numbers only, like 07700 900 982"),
)
EXPIRED = _l("This page was open for a long time. Check your answers, then press the button again.")


def _plain(value: Any) -> Any:
    return plain(value) if isinstance(value, str) else value


class BaseForm(FlaskForm):  # type: ignore[misc]
    """A form whose text arrives as the rules will keep it: words exactly as typed, without
    stray spaces around them or characters that have no place in text. So "check your
    answers" shows what staff will read, and an empty-looking answer is asked for again."""

    # Where a refusal that belongs to no one field can be put right (the error summary's link).
    fix_at: str | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        token = getattr(self, "csrf_token", None)
        if token is not None and token.errors:
            # Said kindly, in the child's language, in the error summary; their answers stay.
            token.errors = [EXPIRED]
        return valid

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = [*unbound_field.kwargs.get("filters", ()), _plain]
            return unbound_field.bind(form=form, filters=filters, **options)


def choices(labels: dict[str, Any]) -> list[SelectChoice]:
    """A radios or checkboxes question's choices, from one of app/labels.py's maps."""
    return [SelectChoice(code, words) for code, words in labels.items()]


class CheckboxesField(SelectMultipleField):
    """Choose any number: drawn as checkboxes by the `checkboxes` macro."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
