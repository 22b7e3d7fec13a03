"""directory: org units with validity and successor, units, people

Revision ID: 0002_directory
Revises: 0001
Create Date: 2026-11-27 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0002_directory"
down_revision = "0001"
branch_labels = ("directory",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "org_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("parent_code", sa.String(length=80), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("successor_code", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_org_units_parent_code", "org_units", ["parent_code"], unique=False)
    op.create_table(
        "directory_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("org_code", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_code"], ["org_units.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_directory_units_org_code", "directory_units", ["org_code"], unique=False)
    op.create_table(
        "directory_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["directory_units.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_directory_people_unit_id", "directory_people", ["unit_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_directory_people_unit_id", table_name="directory_people")
    op.drop_table("directory_people")
    op.drop_index("ix_directory_units_org_code", table_name="directory_units")
    op.drop_table("directory_units")
    op.drop_index("ix_org_units_parent_code", table_name="org_units")
    op.drop_table("org_units")
