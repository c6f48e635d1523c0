"""Answering in the app: when the oldest reply the child has not opened was written.

A reply written in the app to a child it is the only way back to counts as reaching them
when they open it. The tracker shows "replied, not yet read" on every row it lists, so the
contact keeps the moment, derived from the events by contacts.record like the stage and the
first contact, instead of each row reading its history. Existing contacts have no reply, so
the column starts empty.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact") as batch_op:
        batch_op.add_column(
            sa.Column("reply_unread_since", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("contact") as batch_op:
        batch_op.drop_column("reply_unread_since")
