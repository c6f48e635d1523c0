"""You said, we did: what changed after children told us, in the app for every age band and in
symbol mode. Not a kept page (app/child/kept_pages.py): an item published through one worker
must show at once on every worker, and a kept copy lives in each worker's memory."""

from __future__ import annotations

from flask import render_template

from app import closing_loop
from app.child.blueprint import bp
from app.council import current as council
from app.extensions import db


@bp.get("/you-said-we-did")
def you_said() -> str:
    return render_template(
        "child/you_said.html",
        items=closing_loop.items(db.session(), published_only=True),
        promises=council().promises_by_key,
        symbols=council().promise_symbols,
    )
