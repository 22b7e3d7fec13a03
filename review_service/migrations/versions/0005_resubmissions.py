"""resubmissions: what an item was when it was returned, to show what the unit changed

Revision ID: 0005_resubmissions
Revises: 0005_escalation
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_resubmissions"
down_revision = "0005_escalation"
branch_labels = ("resubmissions",)
depends_on = None


def upgrade() -> None:
    op.add_column("review_items", sa.Column("previous", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_items") as batch:
        batch.drop_column("previous")
