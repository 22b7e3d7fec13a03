"""revocations: API tokens revoked one by one, kept from intake's token_revoked events

Revision ID: 0008_token_revocations
Revises: 0007_outbox_claims
Create Date: 2026-12-06 23:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0008_token_revocations"
down_revision = "0007_outbox_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "token_revocations",
        sa.Column("token_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_id"),
    )


def downgrade() -> None:
    op.drop_table("token_revocations")
