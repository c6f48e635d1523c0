"""The tracker at 200,000 contacts, its search, and the loop between roles.

The tracker sorted on expressions no index covered and paged with OFFSET: its last page took
seconds. `tracker_rank` (open before finished, urgent first, waiting before reached) with
`due_at` and `id` is one index the tracker reads in order, a page at a time. `urgent`,
`received_at` and the event's `(kind, at)` get indexes for the filters and the report.
`close_proposed_at` and `last_update_at` are derived from the events like `stage`, for the
"proposed for closing" and "no update for N working days" filters; all three are filled here
from the history. `contact_search` keeps keyed hashes of names and phone numbers, so staff
find a contact without decrypting rows; the hashes need the encryption keys, which a
migration never sees: `flask keys reindex` (or `flask keys rotate`) fills them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

RANK = (
    "(CASE WHEN stage = 6 THEN 4 ELSE 0 END)"
    " + (CASE WHEN urgent THEN 0 ELSE 2 END)"
    " + (CASE WHEN stage <> 6 AND first_contact_at IS NOT NULL THEN 1 ELSE 0 END)"
)
UPDATES = "('read', 'more_info_asked', 'allocated', 'contact_failed', 'spoke_to_child', 'update_for_child')"


def upgrade() -> None:
    with op.batch_alter_table("contact") as batch_op:
        batch_op.add_column(
            sa.Column("tracker_rank", sa.Integer(), nullable=False, server_default="2")
        )
        batch_op.add_column(
            sa.Column("close_proposed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("last_update_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("contact") as batch_op:
        batch_op.alter_column("tracker_rank", server_default=None)
    op.execute(f"UPDATE contact SET tracker_rank = {RANK}")  # noqa: S608 (no input)
    op.execute(
        "UPDATE contact SET close_proposed_at = (SELECT max(e.at) FROM contact_event e"
        " WHERE e.contact_id = contact.id AND e.kind = 'close_proposed' AND e.id > coalesce("
        "(SELECT max(c.id) FROM contact_event c WHERE c.contact_id = contact.id"
        " AND c.kind = 'closed'), 0)) WHERE stage <> 6"
    )
    op.execute(
        "UPDATE contact SET last_update_at = (SELECT max(e.at) FROM contact_event e"  # noqa: S608
        f" WHERE e.contact_id = contact.id AND e.kind IN {UPDATES})"
    )
    op.create_index("ix_contact_tracker_order", "contact", ["tracker_rank", "due_at", "id"])
    op.create_index(
        "ix_contact_allocated_order", "contact", ["allocated_to_id", "tracker_rank", "due_at", "id"]
    )
    op.create_index(
        "ix_contact_report",
        "contact",
        ["kind", "channel", "age_band", "stage", "first_contact_at", "due_at"],
    )
    op.create_index(op.f("ix_contact_urgent"), "contact", ["urgent"])
    op.create_index(op.f("ix_contact_close_proposed_at"), "contact", ["close_proposed_at"])
    op.create_index(op.f("ix_contact_received_at"), "contact", ["received_at"])
    op.create_index("ix_contact_event_kind_at", "contact_event", ["kind", "at"])
    op.create_table(
        "contact_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=10), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_contact_search_contact_id_contact")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_search")),
    )
    op.create_index(op.f("ix_contact_search_contact_id"), "contact_search", ["contact_id"])
    op.create_index(op.f("ix_contact_search_digest"), "contact_search", ["digest"])


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_search_digest"), table_name="contact_search")
    op.drop_index(op.f("ix_contact_search_contact_id"), table_name="contact_search")
    op.drop_table("contact_search")
    op.drop_index("ix_contact_event_kind_at", table_name="contact_event")
    op.drop_index(op.f("ix_contact_received_at"), table_name="contact")
    op.drop_index(op.f("ix_contact_close_proposed_at"), table_name="contact")
    op.drop_index(op.f("ix_contact_urgent"), table_name="contact")
    op.drop_index("ix_contact_report", table_name="contact")
    op.drop_index("ix_contact_allocated_order", table_name="contact")
    op.drop_index("ix_contact_tracker_order", table_name="contact")
    with op.batch_alter_table("contact") as batch_op:
        batch_op.drop_column("last_update_at")
        batch_op.drop_column("close_proposed_at")
        batch_op.drop_column("tracker_rank")
