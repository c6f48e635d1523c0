"""Throttles: wrong tries counted per address and per reference or account, atomically.

The per-contact miss counter (`lookup_misses`, `locked_until`) counted in Python after
reading the row, so simultaneous wrong guesses all read the same count: 40 at once on
PostgreSQL gave 26 to 40 comparisons where 5 were allowed. It also locked the child out of
their own message after any five wrong guesses from anywhere. One `throttle` table now
holds every count (a child opening a message from another phone, staff signing in), keyed
by a hash, counted with one upsert that returns the count (app/throttle.py); the contact's
two columns go. Their values are not carried over: they only ever held a lock of an hour.

Revision ID: 0005
Revises: 0004 (another branch adds 0004; until it is merged this revises 0003)
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
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
    with op.batch_alter_table("contact") as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("lookup_misses")


def downgrade() -> None:
    with op.batch_alter_table("contact") as batch_op:
        batch_op.add_column(
            sa.Column("lookup_misses", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("contact") as batch_op:  # as 0002 made it: no server default
        batch_op.alter_column("lookup_misses", server_default=None)
    op.drop_index(op.f("ix_throttle_window_started_at"), table_name="throttle")
    op.drop_table("throttle")
