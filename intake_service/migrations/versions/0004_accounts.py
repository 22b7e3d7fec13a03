"""accounts: a sign-out epoch per user (sign out everywhere) and an optional email

Revision ID: 0004_accounts
Revises: 0003_details
Create Date: 2026-11-28 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0004_accounts"
down_revision = "0003_details"
branch_labels = ("accounts",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("session_epoch", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("email")
        batch_op.drop_column("session_epoch")
