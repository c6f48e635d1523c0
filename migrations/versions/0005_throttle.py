"""Throttles: wrong tries counted per address and per reference or account, atomically.

One `throttle` table holds every count (a child opening a message from another phone, staff
signing in), keyed by a hash, counted with one upsert that returns the count
(app/throttle.py), so simultaneous tries cannot slip past it.

Revision ID: 0005
Revises: 0004 (another branch adds 0004; until it is merged this revises 0003)
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
# TODO(merge): "0004" once the branch that adds 0004 is merged; "0003" keeps this branch whole.
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wait_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_throttle")),
    )
    op.create_index(op.f("ix_throttle_window_started_at"), "throttle", ["window_started_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_throttle_window_started_at"), table_name="throttle")
    op.drop_table("throttle")
