"""item details: the registration's details carried by intake.submission.submitted v2

Revision ID: 0003_item_details
Revises: 0002_directory
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_item_details"
down_revision = "0002_directory"
branch_labels = ("item_details",)
depends_on = None


def upgrade() -> None:
    op.add_column("review_items", sa.Column("details", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_items") as batch:  # SQLite drops columns by copying
        batch.drop_column("details")
