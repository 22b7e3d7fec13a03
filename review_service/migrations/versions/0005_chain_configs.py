"""chain configurations as versions an administrator saves; the version each item started on

Revision ID: 0005_chain_configs
Revises: 0005_audit_append_only
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_chain_configs"
down_revision = "0005_audit_append_only"
branch_labels = ("chain_configs",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chain_configs",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.String(length=200), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version"),
    )
    op.add_column("review_items", sa.Column("chain_version", sa.Integer(), nullable=False,
                                            server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("review_items") as batch:
        batch.drop_column("chain_version")
    op.drop_table("chain_configs")
