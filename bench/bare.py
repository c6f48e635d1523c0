"""The yardstick: a bare Flask "hello", served by the same gunicorn settings in the same run.

Every server figure is also given as a ratio to this, so a figure taken on a busy shared
machine still says how much the app itself costs.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
