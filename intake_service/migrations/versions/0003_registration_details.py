"""registration details: owning unit, person, villages, the written sections and resources

Revision ID: 0003_details
Revises: 0002_periods
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_details"
down_revision = "0002_periods"
branch_labels = ("registration_details",)
depends_on = None

COLUMNS = (
    ("unit_name", sa.String(length=200)),
    ("person_name", sa.String(length=200)),
    ("villages", sa.Text()),
    ("situation", sa.Text()),
    ("objectives", sa.Text()),
    ("activities", sa.Text()),
    ("beneficiaries", sa.Text()),
    ("forces", sa.Text()),
    ("timeline", sa.Text()),
    ("expected_outputs", sa.Text()),
    ("sustainability", sa.Text()),
    ("funding_vnd", sa.BigInteger()),
    ("labour_days", sa.BigInteger()),
)


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column("submissions", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:  # SQLite drops columns by copying
        for name, _type in reversed(COLUMNS):
            batch.drop_column(name)
