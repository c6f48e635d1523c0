"""Static files through WhiteNoise: compressed ahead of time, cached for a year.

Every static URL carries a hash of the file's content (templating.static_url), so a file can
be cached for good and a change still reaches the child's phone. `make static` writes the
.br and .gz versions WhiteNoise serves to browsers that accept them.

WhiteNoise answers before Flask sees the request, so Flask's after_request never runs for a
static file: the security headers that protect a file (app/security.py) are added here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise

from app import security
from app.config import YEAR

# Where `make static` writes our sheets and scripts without their comments and spaces
# (app/lean_static.py), beside app/.
LEAN = Path(__file__).resolve().parent.parent / "build" / "static"
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


def lean_folder(app: Flask) -> Path | None:
    """Where `make static` wrote our sheets and scripts without their comments and spaces
    (app/lean_static.py), if it has: never while developing, where files change as they are
    edited and are served as they are."""
    if app.config["ENV_NAME"] == "development":
        return None
    folder = Path(app.config.get("LEAN_STATIC_FOLDER") or LEAN)
    return folder if folder.is_dir() else None


def served_path(app: Flask, filename: str) -> Path:
    """The file sent for a static file's name: its lean copy if WhiteNoise serves one."""
    lean: Path | None = app.extensions.get("lean_static")
    if lean is not None and (lean / filename).is_file():
        return lean / filename
    return Path(app.static_folder or "static") / filename


def init_app(app: Flask) -> None:
    served = WhiteNoise(
        app.wsgi_app,
        root=app.static_folder,
        prefix="static/",
        max_age=YEAR,
        allow_all_origins=False,
        autorefresh=app.config["ENV_NAME"] == "development",
        immutable_file_test=lambda path, url: True,
        add_headers_function=_adding(bool(app.config["SECURE"])),
    )
    lean = app.extensions["lean_static"] = lean_folder(app)
    if lean is not None:
        served.add_files(str(lean), prefix="static/")  # the same addresses, the lean files
    app.wsgi_app = served  # type: ignore[method-assign]
