"""The app warmed in gunicorn's master before the workers fork (app/warming.py): every template
compiled, every offered language loaded and the models configured, with no connection to
anything opened there, and gunicorn.conf.py's hook doing it only when the app is preloaded."""

from __future__ import annotations

import gc
import runpy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask_babel import get_babel
from sqlalchemy import event

from app import create_app, warming
from app.extensions import db
from tests.helpers import TEST_KEY, settings_for

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cold_app(database_url: str) -> Iterator[Flask]:
    """An app as gunicorn's master has it after loading: built, nothing asked of it yet."""
    made = create_app(settings_for(database_url, ENCRYPTION_KEYS=[TEST_KEY]))
    yield made
    gc.unfreeze()  # this test process goes on collecting as before
    with made.app_context():
        db.engine.dispose()


def compiled(app: Flask) -> set[str]:
    cache = app.jinja_env.cache
    assert cache is not None, "templates are cached (Jinja's default)"
    return {name for _loader, name in cache}


def loaded_languages(app: Flask) -> set[str]:
    with app.app_context():
        return {locale for locale, _domain in get_babel().instance.domain_instance.cache}


def test_every_template_and_language_is_ready_before_the_fork(cold_app: Flask) -> None:
    assert compiled(cold_app) == set()

    count = warming.warm(cold_app)

    names = set(cold_app.jinja_env.list_templates())
    assert count == len(names) > 20
    assert compiled(cold_app) == names
    offered = set(cold_app.config["LANGUAGES"])
    assert len(offered) > 1
    assert loaded_languages(cold_app) == offered
    assert cold_app.extensions["language_menu"][0] == tuple(cold_app.config["LANGUAGES"])
    assert gc.get_freeze_count() > 0, "what the master made is out of the collector's sight"


# Mappers are configured once a process, so a fresh interpreter shows the master's state.
MASTER = """
from app import create_app, warming
from app.extensions import db
from tests.helpers import settings_for
app = create_app(settings_for("sqlite://"))
mappers = db.Model.registry.mappers
print(sum(not m.configured for m in mappers))
warming.warm(app)
print(sum(not m.configured for m in mappers))
"""


def test_the_models_are_configured_before_the_fork() -> None:
    """Else each new worker works out every relationship on its first message's send."""
    shown = subprocess.run(
        [sys.executable, "-c", MASTER], cwd=ROOT, capture_output=True, text=True, check=True
    )
    before, after = map(int, shown.stdout.split())
    assert before > 5, "a freshly built app has its models still to configure"
    assert after == 0


def test_nothing_is_connected_in_the_master(cold_app: Flask) -> None:
    """A connection opened before the fork would be one socket shared by every worker."""
    connects: list[Any] = []
    with cold_app.app_context():
        event.listen(db.engine, "connect", lambda *_: connects.append(1))
        warming.warm(cold_app)
    assert connects == []


def test_the_pages_after_warming_are_the_pages_without(cold_app: Flask) -> None:
    """Warming changes when the work is done, never what a child is shown."""
    fresh = create_app(settings_for(cold_app.config["SQLALCHEMY_DATABASE_URI"]))
    fresh.config.update(ENCRYPTION_KEYS=cold_app.config["ENCRYPTION_KEYS"])
    warming.warm(cold_app)
    for lang in ("en", "ar"):
        headers = {"Cookie": f"lang={lang}"}
        warm_page = cold_app.test_client().get("/", headers=headers)
        cold_page = fresh.test_client().get("/", headers=headers)
        assert warm_page.status_code == cold_page.status_code == 200
        assert warm_page.data == cold_page.data
    with fresh.app_context():
        db.engine.dispose()


def hook() -> Any:
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["when_ready"]


def test_gunicorn_warms_the_preloaded_app_before_forking(cold_app: Flask) -> None:
    server = SimpleNamespace(
        cfg=SimpleNamespace(preload_app=True), app=SimpleNamespace(wsgi=lambda: cold_app)
    )
    hook()(server)
    assert compiled(cold_app) == set(cold_app.jinja_env.list_templates())


def test_gunicorn_loads_nothing_in_the_master_when_not_preloading() -> None:
    """Without preload each worker builds its own app; asking for it here would build one more."""

    def must_not_load() -> None:
        raise AssertionError("the app was loaded in the master")

    server = SimpleNamespace(
        cfg=SimpleNamespace(preload_app=False), app=SimpleNamespace(wsgi=must_not_load)
    )
    hook()(server)
