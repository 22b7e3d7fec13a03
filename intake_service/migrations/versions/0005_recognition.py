"""recognition: what review made of a model (exemplar, inspection) and its award nominations

Revision ID: 0005_recognition
Revises: 0005_notification_emails
Create Date: 2026-11-26 13:00:00
"""

from alembic import op
import sqlalchemy as sa

from shared.db import UTCDateTime


revision = "0005_recognition"
down_revision = "0005_notification_emails"
branch_labels = ("recognition",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch_op:
        batch_op.add_column(sa.Column("exemplar", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("inspection_outcome", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("inspection_findings", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("inspected_at", UTCDateTime(), nullable=True))
    op.create_table(
        "nominations",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("model_ids", sa.JSON(), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("award_form", sa.String(length=40), nullable=False),
        sa.Column("award_form_name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("commune_code", sa.String(length=80), nullable=False),
        sa.Column("district_code", sa.String(length=80), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=True),
        sa.Column("decision_number", sa.String(length=80), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("signer", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_nominations_commune_code", "nominations", ["commune_code"])
    op.create_index("ix_nominations_district_code", "nominations", ["district_code"])


def downgrade() -> None:
    op.drop_index("ix_nominations_district_code", table_name="nominations")
    op.drop_index("ix_nominations_commune_code", table_name="nominations")
    op.drop_table("nominations")
    with op.batch_alter_table("submissions") as batch_op:
        batch_op.drop_column("inspected_at")
        batch_op.drop_column("inspection_findings")
        batch_op.drop_column("inspection_outcome")
        batch_op.drop_column("exemplar")
