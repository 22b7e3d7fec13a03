"""amendments and result reports: what a submission is about, figures and evidence

Revision ID: 0004_amendments_reports
Revises: 0004_accounts
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_amendments_reports"
down_revision = "0004_accounts"
branch_labels = ("amendments_reports",)
depends_on = ("0002_periods",)


def upgrade() -> None:
    op.add_column("submissions", sa.Column("model_id", sa.Integer(), nullable=True))
    op.add_column("submissions", sa.Column("reason", sa.Text(), nullable=True))
    op.add_column("submissions", sa.Column("previous", sa.JSON(), nullable=True))
    op.add_column("submissions", sa.Column("period_id", sa.Integer(), nullable=True))
    op.add_column("submissions", sa.Column("narrative", sa.Text(), nullable=True))
    op.create_index("ix_submissions_model_id", "submissions", ["model_id"])
    op.create_index("ix_submissions_period_id", "submissions", ["period_id"])
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint to a table
        op.create_foreign_key("fk_submissions_model", "submissions", "submissions",
                              ["model_id"], ["id"])
        op.create_foreign_key("fk_submissions_period", "submissions", "periods",
                              ["period_id"], ["id"])
    op.create_table(
        "report_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),  # thousandths, exact
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id", "code", name="uq_report_figures_code"),
    )
    op.create_index("ix_report_figures_submission_id", "report_figures", ["submission_id"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_as", sa.String(length=80), nullable=False),
        sa.Column("thumbnail", sa.String(length=80), nullable=True),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stored_as"),
    )
    op.create_index("ix_evidence_submission_id", "evidence", ["submission_id"])


def downgrade() -> None:
    op.drop_index("ix_evidence_submission_id", table_name="evidence")
    op.drop_table("evidence")
    op.drop_index("ix_report_figures_submission_id", table_name="report_figures")
    op.drop_table("report_figures")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_submissions_period", "submissions", type_="foreignkey")
        op.drop_constraint("fk_submissions_model", "submissions", type_="foreignkey")
    op.drop_index("ix_submissions_period_id", table_name="submissions")
    op.drop_index("ix_submissions_model_id", table_name="submissions")
    with op.batch_alter_table("submissions") as batch:
        for name in ("narrative", "period_id", "previous", "reason", "model_id"):
            batch.drop_column(name)
