"""Our Promise: the council's promises to children in its care, and Tell Us, We Care!"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import (
    cli,
    cookie_session,
    crypto,
    form_data,
    health,
    i18n,
    notify,
    security,
    static_files,
    templating,
    urls,
)
from app import council as council_module
from app.child import bp as child_bp
from app.config import ConfigError, settings
from app.extensions import babel, compress, csrf, db, init_limiter, migrate
from app.staff import bp as staff_bp

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, council content, extensions, blueprints, security headers."""
    app = Flask(__name__, instance_relative_config=True)
    app.jinja_environment = templating.Environment  # before anything makes app.jinja_env
    app.session_interface = cookie_session.CookieSessions()
    app.config.update(settings(Path(app.instance_path)))
    app.config.update(overrides or {})
    app.extensions["council"] = council = council_module.load(Path(app.config["COUNCIL_FILE"]))
    # The council's words in each language it translated them into (app/council.py).
    app.extensions["council_translations"] = council_module.load_translations(
        Path(app.config["COUNCIL_FILE"])
    )
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", council.response.timezone)
    if app.config["ENV_NAME"] == "production" and app.debug:
        raise ConfigError("production must not run with the debugger: unset FLASK_DEBUG")
    if proxies := app.config.get("PROXY_COUNT", 0):
        # The address and scheme the TLS proxy saw: each child's own address for the rate
        # limits and throttles, and https for the Secure cookies. Only what the proxies add
        # is believed (app/config.py); the Host header is never taken from them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    crypto.configure(app.config["ENCRYPTION_KEYS"])
    form_data.init_app(app)
    urls.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    compress.init_app(app)
    init_limiter(app)
    security.init_app(app)
    static_files.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    notify.init_app(app)
    health.answer_health_checks(app)  # last, so outermost: before WhiteNoise and Flask

    app.register_blueprint(child_bp)
    app.register_blueprint(staff_bp)
    if app.config["ENV_NAME"] == "development" and os.environ.get("WERKZEUG_RUN_MAIN") == "true":
        notify.drain_in_background(app)  # the reloader's child process, once
    return app
