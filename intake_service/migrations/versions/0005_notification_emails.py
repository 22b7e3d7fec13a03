"""notification emails: when an in-app notification was also sent by email

Revision ID: 0005_notification_emails
Revises: 0004_bulk_imports
Create Date: 2026-11-26 13:00:00
"""

from alembic import op
import sqlalchemy as sa

from shared.db import UTCDateTime


revision = "0005_notification_emails"
down_revision = "0004_bulk_imports"
branch_labels = ("notification_emails",)
depends_on = ("0002_periods",)


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("emailed_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_column("emailed_at")
