"""revocations: each user's sign-out epoch, kept from intake's sessions_revoked events

Revision ID: 0004_revocations
Revises: 0004_item_kinds
Create Date: 2026-11-28 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0004_revocations"
down_revision = "0004_item_kinds"
branch_labels = ("revocations",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_revocations",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("session_revocations")
