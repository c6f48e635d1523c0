"""Accounts in the browser: a team for each member of staff, enrolment, one-time links.

Admin makes accounts in the browser now (issue 10, point 7): the new person sets their own
password and enrols their authenticator through a one-time link sent by email, so an account
exists before it can sign in (`enrolled_at` is empty until then). The link's token is kept
only as a hash, works once and expires. Accounts made before this revision were made from
the command line, which enrols them at once: they count as enrolled when they were made.

Staff carry the team they work in (a key from council.toml), so nobody is allocated a
contact about their own team (point 9).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_user") as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE staff_user SET enrolled_at = created_at")
    op.create_table(
        "staff_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_user.id"], name=op.f("fk_staff_link_staff_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_link_token_hash")),
    )
    op.create_index(op.f("ix_staff_link_staff_id"), "staff_link", ["staff_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_link_staff_id"), table_name="staff_link")
    op.drop_table("staff_link")
    # An account still waiting for its owner keeps a password hash nothing matches: after
    # the downgrade it still cannot sign in.
    with op.batch_alter_table("staff_user") as batch_op:
        batch_op.drop_column("enrolled_at")
        batch_op.drop_column("team")
