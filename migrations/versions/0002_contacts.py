"""Contacts: the child's message, its append-only events, device access and drafts.

Free text and contact details are stored encrypted (LargeBinary); times are stored in UTC.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("age_band", sa.String(length=10), nullable=True),
        sa.Column("helper", sa.String(length=20), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("praise_may_pass_on", sa.Boolean(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("reach", sa.LargeBinary(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("memorable_words", sa.LargeBinary(), nullable=False),
        sa.Column("lookup_misses", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        sa.UniqueConstraint("reference", name=op.f("uq_contact_reference")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_contact_submission_key")),
    )
    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_draft_token_hash")),
    )
    op.create_index(op.f("ix_draft_updated_at"), "draft", ["updated_at"])
    op.create_table(
        "contact_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_contact_access_contact_id_contact")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_access")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_contact_access_secret_hash")),
    )
    op.create_index(op.f("ix_contact_access_contact_id"), "contact_access", ["contact_id"])
    op.create_table(
        "contact_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("text", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_contact_event_contact_id_contact")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_event")),
    )
    op.create_index(op.f("ix_contact_event_contact_id"), "contact_event", ["contact_id"])
    op.create_table(
        "contact_promise",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("promise_key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_contact_promise_contact_id_contact")
        ),
        sa.PrimaryKeyConstraint("contact_id", "promise_key", name=op.f("pk_contact_promise")),
    )
    op.create_index(op.f("ix_contact_promise_promise_key"), "contact_promise", ["promise_key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_promise_promise_key"), table_name="contact_promise")
    op.drop_table("contact_promise")
    op.drop_index(op.f("ix_contact_event_contact_id"), table_name="contact_event")
    op.drop_table("contact_event")
    op.drop_index(op.f("ix_contact_access_contact_id"), table_name="contact_access")
    op.drop_table("contact_access")
    op.drop_index(op.f("ix_draft_updated_at"), table_name="draft")
    op.drop_table("draft")
    op.drop_table("contact")
