"""A template's globals (app/templating.py's Environment): the environment's, overlaid by the
template's own, as Jinja makes them, with keys that an import takes away in C (issue 15)."""

from __future__ import annotations

from flask import Flask, render_template_string


def test_a_template_sees_the_environments_globals_and_its_own(app: Flask) -> None:
    environment = app.jinja_env
    template = environment.from_string("{{ shared }} {{ own }}", globals={"own": "mine"})
    environment.globals["shared"] = "everyone"
    try:
        assert template.render() == "everyone mine"
        assert set(template.globals.keys()) == set(environment.globals) | {"own"}
    finally:
        del environment.globals["shared"]
    assert "shared" not in set(template.globals.keys()), "the keys as they are when asked"


def test_a_templates_own_globals_stay_its_own(app: Flask) -> None:
    environment = app.jinja_env
    one = environment.from_string("{{ own }}")
    other = environment.from_string("{{ own | default('none') }}")
    one.globals["own"] = "one"
    assert one.render() == "one"
    assert other.render() == "none"
    assert "own" not in environment.globals


def test_an_import_takes_the_globals_away_in_c(app: Flask) -> None:
    """A dict's keys, not a ChainMap's view, whose difference was a loop in Python."""
    template = app.jinja_env.get_template("components/ui.html")
    assert isinstance(template.globals.keys(), type({}.keys()))


def test_an_imported_macro_is_made_once_and_called(app: Flask) -> None:
    page = '{% from "components/ui.html" import mark %}{{ mark("x") is defined }}'
    with app.test_request_context("/"):
        assert render_template_string(page) == "True"
        imported = app.jinja_env.get_template("components/ui.html")
        context = app.jinja_env.from_string(page).new_context({})
        assert imported._get_default_module(context) is imported._get_default_module(context)
