"""Static files through WhiteNoise: compressed ahead of time, cached for a year.

Every static URL carries a hash of the file's content (templating.static_url), so a file can
be cached for good and a change still reaches the child's phone. `make static` writes the
.br and .gz versions WhiteNoise serves to browsers that accept them.
"""

from __future__ import annotations

from flask import Flask
from whitenoise import WhiteNoise

from app.config import YEAR


def _headers(headers: object, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"  # type: ignore[index]
    headers["Cross-Origin-Resource-Policy"] = "same-origin"  # type: ignore[index]
    headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"  # type: ignore[index]


def init_app(app: Flask) -> None:
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=app.static_folder,
        prefix="static/",
        max_age=YEAR,
        allow_all_origins=False,
        autorefresh=app.config["ENV_NAME"] == "development",
        immutable_file_test=lambda path, url: True,
        add_headers_function=_headers,
    )
