"""outbox rows a relay has claimed, until when

A relay claims a batch of rows in a short transaction of its own (``claimed_until``: a lease),
publishes them with no transaction open, and marks them sent in another; a row whose relay died
is free again once its lease has passed.

Revision ID: 0008_outbox_claims
Revises: 0007_review_due
"""

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime

revision = "0008_outbox_claims"
down_revision = "0007_review_due"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("claimed_until", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("claimed_until")
