"""The child's plain pages: home, talk to someone first, help now, their information, and more."""

from __future__ import annotations

from flask import Response, jsonify, render_template, url_for

from app.child.blueprint import bp
from app.council import current as council
from app.templating import symbol_url


@bp.get("/")
def home() -> str:
    return render_template("child/home.html")


@bp.get("/talk-to-someone")
def talk() -> str:
    return render_template("child/talk.html")


@bp.get("/help")
def help_now() -> str:
    return render_template("child/help.html")


@bp.get("/your-information")
def your_information() -> str:
    return render_template("child/your_information.html")


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("child/accessibility.html")


@bp.get("/about")
def about() -> str:
    return render_template("child/about.html")


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The installed app's name and icon, from council.toml (DEC-5: it may be neutral)."""
    app_info = council().app
    response = jsonify(
        {
            "id": "/",
            "name": app_info.name,
            "short_name": app_info.short_name,
            "start_url": url_for("child.home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": app_info.theme_colour,
            "icons": [
                {"src": symbol_url(app_info.symbol), "sizes": "any", "type": "image/svg+xml"}
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response
