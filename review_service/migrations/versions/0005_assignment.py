"""assignment: who holds each review item, the reviewers seen at the queue, saved queue views

Revision ID: 0005_assignment
Revises: 0004_revocations
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_assignment"
down_revision = "0004_revocations"
branch_labels = ("assignment",)
depends_on = None


def upgrade() -> None:
    op.add_column("review_items", sa.Column("assignee_id", sa.Integer(), nullable=True))
    op.add_column("review_items", sa.Column("assignee_name", sa.String(200), nullable=True))
    op.create_index("ix_review_queue_due", "review_items",
                    ["status", "stage", "district_code", "due_at", "id"])
    op.create_index("ix_review_queue_assignee", "review_items",
                    ["assignee_id", "status", "stage", "opened_at", "id"])
    op.create_table(
        "reviewers",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("scope", sa.String(80), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reviewers_team", "reviewers", ["role", "scope"])
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("owner_name", sa.String(200), nullable=False),
        sa.Column("owner_role", sa.String(30), nullable=False),
        sa.Column("scope", sa.String(80), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("query", sa.String(1000), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_saved_views_team", "saved_views", ["scope", "owner_role"])


def downgrade() -> None:
    op.drop_index("ix_saved_views_team", table_name="saved_views")
    op.drop_table("saved_views")
    op.drop_index("ix_reviewers_team", table_name="reviewers")
    op.drop_table("reviewers")
    op.drop_index("ix_review_queue_assignee", table_name="review_items")
    op.drop_index("ix_review_queue_due", table_name="review_items")
    with op.batch_alter_table("review_items") as batch:
        for name in ("assignee_name", "assignee_id"):
            batch.drop_column(name)
