"""the report's summary tables, kept current from the submissions, and the index of waiting ones

Revision ID: 0006_report_tallies
Revises: 0005_reporting
"""

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime

revision = "0006_report_tallies"
down_revision = "0005_reporting"
branch_labels = ("report_tallies",)
depends_on = ("0005_reporting",)

# "Overdue" depends on the hour it is asked, so it is counted live, over waiting submissions only.
WAITING = "status IN ('submitted', 'in_review')"
SENT = "to_status = 'submitted'"


def _group() -> list[sa.Column]:
    return [sa.Column("period_id", sa.Integer(), nullable=False),
            sa.Column("commune_code", sa.String(length=80), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "report_tallies", *_group(),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("field", sa.String(length=50), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False)
          for name in ("registered", "approved", "returned", "pending", "rejected", "exemplars",
                       "verified", "partly_verified", "not_verified")),
        sa.PrimaryKeyConstraint("period_id", "commune_code", "kind", "field", "subject_type"),
    )
    op.create_table(
        "report_holder_tallies", *_group(),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("holders", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("period_id", "commune_code", "subject_type"),
    )
    op.create_table(
        "report_figure_tallies", *_group(),
        sa.Column("field", sa.String(length=50), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("thousandths", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("period_id", "commune_code", "field", "code"),
    )
    op.create_table(
        "report_first_sent", *_group(),
        sa.Column("submitter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("first_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("period_id", "commune_code", "submitter_id", "kind"),
    )
    op.create_table(
        "report_tally_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watermark", UTCDateTime(), nullable=True),
        sa.Column("rebuilt_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    # Its one row, locked by each refresh; no watermark yet: the first refresh counts everything.
    op.execute("INSERT INTO report_tally_marks (id) VALUES (1)")
    op.create_table(
        "report_tally_seen",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("submission_id", "updated_at"),
    )
    op.create_table(
        "report_regrouped",
        sa.Column("id", sa.Integer(), nullable=False), *_group(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_submissions_waiting", "submissions", ["period_id", "kind", "updated_at"],
                    postgresql_include=["commune_code"], postgresql_where=sa.text(WAITING),
                    sqlite_where=sa.text(WAITING))
    # Recomputing a group finds when each of its submissions was first sent from this index alone.
    op.create_index("ix_submission_history_sent", "submission_history", ["submission_id", "at"],
                    postgresql_where=sa.text(SENT), sqlite_where=sa.text(SENT))


def downgrade() -> None:
    op.drop_index("ix_submission_history_sent", table_name="submission_history")
    op.drop_index("ix_submissions_waiting", table_name="submissions")
    for table in ("report_regrouped", "report_tally_seen", "report_tally_marks", "report_first_sent", "report_figure_tallies",
                  "report_holder_tallies", "report_tallies"):
        op.drop_table(table)
