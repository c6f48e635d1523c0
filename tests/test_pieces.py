"""The pieces drawn in Python (app/templating.py `symbol_img`, `said_line`, `said_button`,
`mark`, `said`) write exactly what the Jinja macros they replaced wrote."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from markupsafe import Markup

from tests.helpers import choose

# The macros as they were in components/ui.html and forms.html (long lines cut by `{#- -#}`).
MACROS = """
{% macro symbol_img(symbol, size=32, lazy=true) -%}
<img class="symbol" src="{{ symbol_url(symbol) }}" alt="" width="{{ size }}" {#- -#}
{{' '}}height="{{ size }}"{% if lazy %} loading="lazy"{% endif %}>
{%- endmacro %}
{% macro said(symbol, text) -%}
{% if symbol and symbol_mode() %}<span class="said">{{ symbol_img(symbol, 40) }}{#- -#}
<span>{{ text }}</span></span>{% else %}{{ text }}{% endif %}
{%- endmacro %}
{% macro said_line(symbol, text) -%}
{% if symbol_mode() %}<span class="said">{{ symbol_img(symbol, 48) }}{#- -#}
<span>{{ text }}</span></span>{% else %}{{ text }}{% endif %}
{%- endmacro %}
{% macro said_button(symbol, text) -%}
{% if symbol_mode() %}{{ symbol_img(symbol, 32) }}<span>{{ text }}</span>{#- -#}
{% else %}{{ text }}{% endif %}
{%- endmacro %}
{% macro mark(symbol) -%}
{% if symbol_mode() %}{{ symbol_img(symbol, 40) }} {% endif %}
{%- endmacro %}
"""
# Each piece called as the pages call it: words plain, translated (Markup) and hostile.
CALLS = """
{% from "components/ui.html" import symbol_img, said_line, said_button, mark %}
{% from "components/forms.html" import said %}
{% for words in [plain, marked, hostile, 7, none] %}
[{{ symbol_img("💬") }}|{{ symbol_img("👀", 48, lazy=false) }}|{{ symbol_img("⭐", size=40) }}]
[{{ said_line("📮", words) }}|{{ said_button("🆘", words) }}|{{ mark("🗓️") }}]
[{{ said("ℹ️", words) }}|{{ said(none, words) }}|{{ said("", words) }}]
{% endfor %}
"""
WORDS = {
    "plain": "Our replies to you",
    "marked": Markup("You answered on <b>Monday</b>."),
    "hostile": "<script>alert('x')</script> & \"quotes\"",
}


@pytest.mark.parametrize("symbols", [False, True])
def test_each_piece_writes_what_its_macro_wrote(
    page_app: Flask, page_client: FlaskClient, symbols: bool
) -> None:
    choose(page_client, "5_to_9", symbols)
    with page_client:
        page_client.get("/tell-us")  # a child's request: their choices in force
        drawn = render_template_string(CALLS, **WORDS)
        macros = render_template_string(
            MACROS + CALLS.split("\n", 3)[3], **WORDS
        )  # the same calls, through the old macros
    assert drawn == macros
    assert ("<img" in drawn) and (('class="said"' in drawn) is symbols)
