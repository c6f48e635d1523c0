"""The starting point: an empty schema that later revisions build on.

The foundation has no tables of its own yet; this revision gives every database, SQLite or
PostgreSQL, the same history from the first `flask db upgrade`.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
