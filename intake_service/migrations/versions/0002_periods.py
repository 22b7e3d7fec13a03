"""reporting periods, notifications and reminders given

Revision ID: 0002_periods
Revises: 0002_drafts
Create Date: 2026-11-27 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0002_periods"
down_revision = "0002_drafts"
branch_labels = ("periods",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("due_registrations", sa.Boolean(), nullable=False),
        sa.Column("due_reports", sa.Boolean(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "year", name="uq_periods_kind_year"),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notifications_user_id", "notifications", ["user_id"])
    op.create_table(
        "period_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("milestone", sa.String(length=30), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period_id", "user_id", "milestone", name="uq_period_reminders_once"),
    )
    op.create_index("ix_period_reminders_period_id", "period_reminders", ["period_id"])


def downgrade() -> None:
    op.drop_index("ix_period_reminders_period_id", table_name="period_reminders")
    op.drop_table("period_reminders")
    op.drop_index("ix_notifications_user_id", table_name="notifications")
    op.drop_table("notifications")
    op.drop_table("periods")
