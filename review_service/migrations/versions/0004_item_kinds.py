"""amendments and result reports on review items: the model, the changes, the report

Revision ID: 0004_item_kinds
Revises: 0003_item_details
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_item_kinds"
down_revision = "0003_item_details"
branch_labels = ("item_kinds",)
depends_on = None


def upgrade() -> None:
    op.add_column("review_items", sa.Column("model_id", sa.Integer(), nullable=True))
    op.add_column("review_items", sa.Column("amendment", sa.JSON(), nullable=True))
    op.add_column("review_items", sa.Column("report", sa.JSON(), nullable=True))
    op.create_index("ix_review_items_model_id", "review_items", ["model_id"])


def downgrade() -> None:
    op.drop_index("ix_review_items_model_id", table_name="review_items")
    with op.batch_alter_table("review_items") as batch:
        for name in ("report", "amendment", "model_id"):
            batch.drop_column(name)
