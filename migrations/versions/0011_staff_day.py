"""The staff day: the team a contact is about, derived from its events like `stage`, for the
tracker's team filter (one indexed column rather than a look into every contact's events);
and a reset's one-time link needs a code admin gives by phone or in person (its hash, and the
wrong tries), so the mailbox alone cannot take an account (ASVS 5.0 6.4.3).

Existing contacts take the team of their latest "about_recorded" event (the latest stands,
as in app/contacts/fairness.py).

Revision ID: 0011
Revises: 0010 (main's head when the staff branch added it; the lead re-chains on merging)
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact") as batch_op:
        batch_op.add_column(sa.Column("about_team", sa.String(40), nullable=True))
    op.create_index(op.f("ix_contact_about_team"), "contact", ["about_team"])
    _teams_from_events()
    with op.batch_alter_table("staff_link") as batch_op:
        batch_op.add_column(sa.Column("code_hash", sa.String(64), nullable=True))
        batch_op.add_column(
            sa.Column("code_misses", sa.Integer(), nullable=False, server_default="0")
        )


def _teams_from_events() -> None:
    connection = op.get_bind()
    events = sa.table(
        "contact_event",
        sa.column("id", sa.Integer()),
        sa.column("contact_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("details", sa.JSON()),
    )
    contacts = sa.table(
        "contact", sa.column("id", sa.Integer()), sa.column("about_team", sa.String())
    )
    latest: dict[int, str | None] = {}
    for contact_id, details in connection.execute(
        sa.select(events.c.contact_id, events.c.details)
        .where(events.c.kind == "about_recorded")
        .order_by(events.c.id)
    ):
        latest[contact_id] = (details or {}).get("team")
    for contact_id, team in latest.items():
        if team:
            connection.execute(
                contacts.update().where(contacts.c.id == contact_id).values(about_team=team)
            )


def downgrade() -> None:
    with op.batch_alter_table("staff_link") as batch_op:
        batch_op.drop_column("code_misses")
        batch_op.drop_column("code_hash")
    op.drop_index(op.f("ix_contact_about_team"), table_name="contact")
    with op.batch_alter_table("contact") as batch_op:
        batch_op.drop_column("about_team")
