"""Alembic: one head, and the migrations build exactly what the models describe."""

from __future__ import annotations

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from app import MIGRATIONS
from app.extensions import db


def script_directory(app: Flask) -> ScriptDirectory:
    config = app.extensions["migrate"].migrate.get_config(str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def test_there_is_one_head(page_app: Flask) -> None:
    assert len(script_directory(page_app).get_heads()) == 1


def test_the_migrated_database_matches_the_models(app: Flask) -> None:
    context = MigrationContext.configure(db.session.connection(), opts={"compare_type": True})
    assert context.get_current_revision() == script_directory(app).get_current_head()
    assert compare_metadata(context, db.metadata) == []


@pytest.mark.commits  # Alembic migrates on connections of its own
def test_every_revision_goes_down_and_up_again(app: Flask) -> None:
    flask_migrate.downgrade(directory=str(MIGRATIONS), revision="base")
    flask_migrate.upgrade(directory=str(MIGRATIONS))
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    assert current == script_directory(app).get_current_head()
