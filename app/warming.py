"""Warm the app once, in gunicorn's master, before it forks the workers (issue 15).

gunicorn builds the app before forking (`preload_app`) and replaces each worker after about ten
thousand requests (gunicorn.conf.py). A new worker used to start cold: it compiled every
template it met (71 templates, 0.43 s of processor in all) and loaded Babel's data for every
language the menu names (60 ms for the home page's first request alone). On a busy server a
worker was then replaced every second or so, and that cold start cost /healthz and the promise pages
a third of their throughput against bare Flask. Done here once, each worker is born with it.

Only what holds no connection and no one's data is warmed: compiled templates, each offered
language's locale, name, direction and catalogue, and SQLAlchemy's mappers, which it otherwise
configures on a worker's first use of a model (about 30 ms of CPU in its first message's send).
The database and Redis are never touched in the master (a connection opened before a fork
would be shared by the workers), and no page is made or kept here (each worker keeps pages as
they are asked for, kept_pages.py).

Then `gc.freeze()`: everything made so far moves out of the collector's sight, so a worker's
collections no longer walk (and so copy, page by page) the master's objects it shares.
"""

from __future__ import annotations

import gc

from flask import Flask
from flask_babel import force_locale, get_translations
from sqlalchemy.orm import configure_mappers

from app import i18n


def warm(app: Flask) -> int:
    """Compile every template, load every offered language and configure the models' mappers;
    return the templates compiled."""
    environment = app.jinja_env
    names = environment.list_templates()
    for name in names:
        environment.get_template(name)
    if "LANGUAGES" in app.config:  # not the benchmarks' bare Flask, which shares the config
        with app.test_request_context("/"):
            i18n.menu()
            for lang in i18n.languages():
                with force_locale(lang):
                    get_translations()
                    i18n.text_direction()
    configure_mappers()  # the relationships between models, worked out without a connection
    gc.freeze()
    return len(names)
