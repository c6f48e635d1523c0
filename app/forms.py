"""The base form every form builds on, and the small validators they share."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):  # type: ignore[misc]
    """A form whose text fields arrive without stray spaces around them."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = [*unbound_field.kwargs.get("filters", ()), _strip]
            return unbound_field.bind(form=form, filters=filters, **options)
