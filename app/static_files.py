"""Static files through WhiteNoise: compressed ahead of time, cached for a year.

Every static URL carries a hash of the file's content (templating.static_url), so a file can
be cached for good and a change still reaches the child's phone. `make static` writes the
.br and .gz versions WhiteNoise serves to browsers that accept them.

WhiteNoise answers before Flask sees the request, so Flask's after_request never runs for a
static file: the security headers that protect a file (app/security.py) are added here.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from whitenoise import WhiteNoise

from app import security
from app.config import YEAR

# A style sheet or a page's script: the headers that still mean something for it. The worker's
# own script keeps a file's (its policy governs the worker), here as at /sw.js.
SHEETS = (".css", ".js")
WORKER = "/sw.js"


def _adding(secure: bool) -> Callable[[object, str, str], None]:
    file = security.file_headers(secure)
    sheet = security.sheet_headers()

    def add(headers: object, path: str, url: str) -> None:
        a_sheet = path.endswith(SHEETS) and not path.endswith(WORKER)
        for name, value in (sheet if a_sheet else file).items():
            headers[name] = value  # type: ignore[index]

    return add


def init_app(app: Flask) -> None:
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=app.static_folder,
        prefix="static/",
        max_age=YEAR,
        allow_all_origins=False,
        autorefresh=app.config["ENV_NAME"] == "development",
        immutable_file_test=lambda path, url: True,
        add_headers_function=_adding(bool(app.config["SECURE"])),
    )
