"""overdue items: how far the deadline sweep has gone with an item at its current stage

Revision ID: 0005_escalation
Revises: 0005_committee
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_escalation"
down_revision = "0005_committee"
branch_labels = ("escalation",)
depends_on = None


def upgrade() -> None:
    op.add_column("review_items", sa.Column("escalation", sa.Integer(), nullable=False,
                                            server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("review_items") as batch:
        batch.drop_column("escalation")
