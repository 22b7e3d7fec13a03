"""the district report: its exports, and the indexes its aggregates read

Revision ID: 0005_reporting
Revises: 0005_recognition
"""

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime

revision = "0005_reporting"
down_revision = "0005_recognition"
branch_labels = ("reporting",)
depends_on = ("0003_details", "0004_amendments_reports")

# The report groups a period's registrations by commune, field and subject type, and counts
# distinct unit and person names: on PostgreSQL one covering index answers it from the index.
REGISTRATION_COLUMNS = ["period_id", "kind", "commune_code", "subject_type", "field", "status"]


def upgrade() -> None:
    op.create_table(
        "report_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("org_code", sa.String(length=80), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_exports_user_id", "report_exports", ["user_id"])
    op.create_index("ix_submissions_report", "submissions", REGISTRATION_COLUMNS,
                    postgresql_include=["unit_name", "person_name", "submitter_id", "updated_at"])
    # The report's cache asks "has anything changed?": the newest change, one index lookup.
    op.create_index("ix_submissions_updated_at", "submissions", ["updated_at"])
    op.create_index("ix_report_figures_code", "report_figures", ["submission_id", "code"],
                    postgresql_include=["value"])
    op.create_index("ix_users_role_scope", "users", ["role", "scope"])


def downgrade() -> None:
    op.drop_index("ix_users_role_scope", table_name="users")
    op.drop_index("ix_report_figures_code", table_name="report_figures")
    op.drop_index("ix_submissions_updated_at", table_name="submissions")
    op.drop_index("ix_submissions_report", table_name="submissions")
    op.drop_index("ix_report_exports_user_id", table_name="report_exports")
    op.drop_table("report_exports")
