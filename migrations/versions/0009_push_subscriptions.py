"""Push subscriptions: a phone that asked to be told when there is news about a message.

Web Push is off until the child taps "Tell me when there's news" on the status page; each row
is one phone's subscription for one contact, deleted when it is turned off, when the contact
is finished, or when the push service says it is gone.

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "push_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=1000), nullable=False),
        sa.Column("p256dh", sa.String(length=200), nullable=False),
        sa.Column("auth", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_push_subscription_contact_id_contact")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscription")),
    )
    op.create_index(op.f("ix_push_subscription_contact_id"), "push_subscription", ["contact_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_push_subscription_contact_id"), table_name="push_subscription")
    op.drop_table("push_subscription")
