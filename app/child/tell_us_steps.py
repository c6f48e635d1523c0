"""The steps of "Tell Us, We Care!": one question a page, some asked only after an answer
that needs them (the phone number after "ring me", the interpreter after a language).

A step that does not apply is skipped going forward and back, and what it kept is dropped
when the answer that asked for it changes, so a number given for "ring me" is not sent after
the child chose "only in this app". Pages without JavaScript need nothing more: the
following step is the conditional reveal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app import contacts
from app.child import tell_us_forms as forms
from app.forms import BaseForm

CALLS = {"phone", "text"}


def _always(values: dict[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    name: str
    form: type[BaseForm]
    fields: tuple[str, ...]
    required: str | None = None  # the answer the message cannot go without
    applies: Callable[[dict[str, Any]], bool] = _always
    # The step whose answer asked this one: after a change there, the check page comes back
    # only once this one is answered too.
    follows: str | None = None


def _needs_contact(values: dict[str, Any]) -> bool:
    return values.get("how") in CALLS | {"email"}


STEP_LIST: tuple[Step, ...] = (
    Step("what", forms.WhatForm, ("kind",), required="kind"),
    Step("promises", forms.PromisesForm, ("promises",), required="promises"),
    Step(
        "words",
        forms.WordsForm,
        ("words", "praise_name", "praise_role", "praise_may_pass_on"),
        required="words",
    ),
    Step("name", forms.NameForm, ("name",)),
    Step("how", forms.HowForm, ("how",)),
    # The phone number or the email address, shown only once that way was chosen.
    Step(
        "contact",
        forms.PhoneForm,
        ("phone", "email"),
        required="contact",
        applies=_needs_contact,
        follows="how",
    ),
    Step(
        "leave_message",
        forms.LeaveMessageForm,
        ("leave_message",),
        applies=lambda values: values.get("how") == "phone",
        follows="how",
    ),
    Step(
        "best_time",
        forms.BestTimeForm,
        ("best_time",),
        applies=lambda values: values.get("how") in CALLS,
        follows="how",
    ),
    Step("language", forms.LanguageForm, ("language",)),
    Step(
        "interpreter",
        forms.InterpreterForm,
        ("interpreter",),
        applies=lambda values: bool(values.get("language")),
        follows="language",
    ),
    Step("helps", forms.HelpsForm, ("helps", "helps_other")),
    Step("advocate", forms.AdvocateForm, ("advocate",)),
    Step("helper", forms.HelperForm, ("helper",), required="helper"),
)
BY_NAME = {step.name: step for step in STEP_LIST}
STEPS = tuple(BY_NAME)
# Every answer kept about reaching the child, as the rules name them.
assert {f for s in STEP_LIST for f in s.fields} >= set(contacts.REACH_KEYS + contacts.SUPPORT_KEYS)


def applicable(values: dict[str, Any]) -> list[str]:
    return [step.name for step in STEP_LIST if step.applies(values)]


def missing_value(step: Step, values: dict[str, Any]) -> bool:
    if step.required is None or not step.applies(values):
        return False
    if step.name == "contact":
        return not values.get("email" if values.get("how") == "email" else "phone")
    return not values.get(step.required)


def first_missing(values: dict[str, Any]) -> str | None:
    return next((step.name for step in STEP_LIST if missing_value(step, values)), None)


def tidy(values: dict[str, Any]) -> None:
    """Drop what steps that no longer apply kept (a number after "only in this app")."""
    for step in STEP_LIST:
        if not step.applies(values):
            for name in step.fields:
                values.pop(name, None)
    if values.get("how") != "email":
        values.pop("email", None)
    if values.get("how") not in CALLS:
        values.pop("phone", None)
    if values.get("kind") != "praise":
        for name in ("praise_name", "praise_role", "praise_may_pass_on"):
            values.pop(name, None)


def following(step: str, values: dict[str, Any]) -> str | None:
    names = applicable(values)
    later = [name for name in STEPS[STEPS.index(step) + 1 :] if name in names]
    return later[0] if later else None


def previous(step: str, values: dict[str, Any]) -> str | None:
    names = applicable(values)
    earlier = [name for name in STEPS[: STEPS.index(step)] if name in names]
    return earlier[-1] if earlier else None


def group(step: str) -> str:
    return BY_NAME[step].follows or step


def next_after_change(step: str, values: dict[str, Any]) -> str | None:
    """After changing an answer from the check page: the questions it newly asks, else None."""
    after = following(step, values)
    return after if after is not None and group(after) == group(step) else None


def position(step: str, values: dict[str, Any]) -> tuple[int, int]:
    """Question n of m: m counts the steps that apply now, and the check page."""
    names = applicable(values)
    number = names.index(step) + 1 if step in names else STEPS.index(step) + 1
    return number, len(names) + 1
