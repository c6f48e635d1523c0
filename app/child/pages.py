"""The child's plain pages: home, talk to someone first, help now, their information, and more."""

from __future__ import annotations

from flask import Response, abort, current_app, make_response, render_template, request

from app import symbol_sheet as symbol_sheet_module
from app.child.blueprint import bp
from app.child.kept_pages import kept
from app.compressed import Kept
from app.templating import look_css


@bp.get("/")
@kept
def home() -> str:
    return render_template("child/home.html")


@bp.get("/talk-to-someone")
@kept
def talk() -> str:
    return render_template("child/talk.html")


@bp.get("/help")
@kept
def help_now() -> str:
    return render_template("child/help.html")


@bp.get("/your-information")
@kept
def your_information() -> str:
    return render_template("child/your_information.html")


@bp.get("/accessibility")
@kept
def accessibility() -> str:
    return render_template("child/accessibility.html")


@bp.get("/about")
@kept
def about() -> str:
    return render_template("child/about.html")


SHEETS_KEPT = 512  # sets of pictures kept: far more than the pages draw


@bp.get("/symbols/<names>.svg")
def symbol_sheet(names: str) -> Response:
    """The pictures a page draws, in one file (app/symbol_sheet.py)."""
    found = symbol_sheet_module.names_in(names)
    if found is None:
        abort(404)
    # Made and compressed once per set of pictures, as a kept page is (the pictures do not
    # change under a running server, except in development): compressed at its smallest,
    # a symbol page's heaviest file is about a tenth lighter (issue 15's 25 KB first load).
    sheets: dict[tuple[str, ...], Kept] = current_app.extensions.setdefault("symbol_sheets", {})
    sheet = sheets.get(found)
    if sheet is None:
        sheet = Kept(symbol_sheet_module.sheet(found).encode(), "image/svg+xml")
        if current_app.config["KEEP_PAGES"] and not current_app.debug:
            if len(sheets) >= SHEETS_KEPT:
                sheets.clear()  # a crude bound: made again on demand, never wrong
            sheets[found] = sheet
    response = sheet.response()
    if request.args.get("v"):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/look.css")
def look() -> Response:
    """The council's colours, apart from app.css so one style sheet serves every council."""
    response = make_response(look_css())
    response.mimetype = "text/css"
    if request.args.get("v"):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
