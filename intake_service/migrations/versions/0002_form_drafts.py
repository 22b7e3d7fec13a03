"""form drafts kept on the server while a user types

Revision ID: 0002_drafts
Revises: 0002_directory
"""

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime

revision = "0002_drafts"
down_revision = "0002_directory"
branch_labels = ("drafts",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("form_key", sa.String(length=80), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "form_key"),
    )


def downgrade() -> None:
    op.drop_table("form_drafts")
