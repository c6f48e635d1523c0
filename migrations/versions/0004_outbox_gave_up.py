"""The outbox gives up loudly: a message that failed every attempt is marked, not retried forever.

Until now a failing email was retried every hour for ever and nobody was told. `gave_up_at`
marks the ones that ran out of attempts, so the staff page can list them and the worker
can leave them alone.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(sa.Column("gave_up_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(op.f("ix_outbox_message_gave_up_at"), ["gave_up_at"])


def downgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_index(op.f("ix_outbox_message_gave_up_at"))
        batch_op.drop_column("gave_up_at")
