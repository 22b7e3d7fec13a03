"""bulk imports of registrations from an XLSX template

Revision ID: 0004_bulk_imports
Revises: 0004_amendments_reports
"""

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime

revision = "0004_bulk_imports"
down_revision = "0004_amendments_reports"
branch_labels = ("bulk_imports",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registration_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("and_submit", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_registration_imports_user_id", "registration_imports", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_registration_imports_user_id", table_name="registration_imports")
    op.drop_table("registration_imports")
