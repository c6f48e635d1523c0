"""Closing the loop: the report's facts kept outside the encrypted columns (and the themes of
each closing, one row each), promise awareness
recorded by IROs, "you said, we did" items, and when a contact's words were removed.

The working minutes to a first contact and the praised person's role let the report count in
SQL what it could otherwise only find by decrypting every row. Existing contacts keep them
empty (counted as "not recorded"): their first contacts were before the column.

Revision ID: 0010
Revises: 0009 (main's head after the pwa branch landed; the lead re-chains on merging)
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

OLD_REPORT_INDEX = ["kind", "channel", "age_band", "stage", "first_contact_at", "due_at"]
# The report reads one range of the period, with every column it groups by.
REPORT_INDEX = [
    "received_at",
    "kind",
    "channel",
    "age_band",
    "helper",
    "praise_role",
    "stage",
    "first_contact_at",
    "due_at",
    "first_contact_minutes",
]

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact") as batch_op:
        batch_op.add_column(sa.Column("first_contact_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("praise_role", sa.String(20), nullable=True))
        batch_op.add_column(
            sa.Column("words_removed_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.drop_index("ix_contact_report", table_name="contact")
    op.create_index("ix_contact_report", "contact", REPORT_INDEX)
    op.create_table(
        "contact_theme",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(200), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["contact_event.id"], name="fk_contact_theme_event_id_contact_event"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name="fk_contact_theme_contact_id_contact"
        ),
        sa.PrimaryKeyConstraint("event_id", "theme", name="pk_contact_theme"),
    )
    op.create_index(
        "ix_contact_theme_closed", "contact_theme", ["closed_at", "theme", "contact_id"]
    )
    _themes_from_closing_events()
    op.create_table(
        "promise_awareness",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("age_band", sa.String(10), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_user.id"],
            name="fk_promise_awareness_recorded_by_id_staff_user",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_promise_awareness"),
    )
    op.create_index(
        "ix_promise_awareness_reviewed_on", "promise_awareness", ["reviewed_on"], unique=False
    )
    op.create_table(
        "you_said_we_did",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("promise_key", sa.String(40), nullable=False),
        sa.Column("you_said", sa.String(500), nullable=False),
        sa.Column("we_did", sa.String(500), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["written_by_id"],
            ["staff_user.id"],
            name="fk_you_said_we_did_written_by_id_staff_user",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_you_said_we_did"),
    )
    op.create_index(
        "ix_you_said_we_did_published_at", "you_said_we_did", ["published_at"], unique=False
    )


def _themes_from_closing_events() -> None:
    """The themes of contacts closed before this revision, from their closing events."""
    connection = op.get_bind()
    events = sa.table(
        "contact_event",
        sa.column("id", sa.Integer()),
        sa.column("contact_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("details", sa.JSON()),
    )
    themes = sa.table(
        "contact_theme",
        sa.column("event_id", sa.Integer()),
        sa.column("theme", sa.String()),
        sa.column("contact_id", sa.Integer()),
        sa.column("closed_at", sa.DateTime(timezone=True)),
    )
    rows = []
    for event_id, contact_id, at, details in connection.execute(
        sa.select(events.c.id, events.c.contact_id, events.c.at, events.c.details).where(
            events.c.kind == "closed"
        )
    ):
        for theme in dict.fromkeys((details or {}).get("themes") or []):
            rows.append(
                {"event_id": event_id, "theme": theme, "contact_id": contact_id, "closed_at": at}
            )
    if rows:
        op.bulk_insert(themes, rows)


def downgrade() -> None:
    op.drop_index("ix_you_said_we_did_published_at", table_name="you_said_we_did")
    op.drop_table("you_said_we_did")
    op.drop_index("ix_promise_awareness_reviewed_on", table_name="promise_awareness")
    op.drop_table("promise_awareness")
    op.drop_index("ix_contact_theme_closed", table_name="contact_theme")
    op.drop_table("contact_theme")
    op.drop_index("ix_contact_report", table_name="contact")
    op.create_index("ix_contact_report", "contact", OLD_REPORT_INDEX)
    with op.batch_alter_table("contact") as batch_op:
        batch_op.drop_column("words_removed_at")
        batch_op.drop_column("praise_role")
        batch_op.drop_column("first_contact_minutes")
