"""committee: steering committee sessions, agenda entries, votes; the exemplar mark on items

Revision ID: 0005_committee
Revises: 0005_chain_configs
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_committee"
down_revision = "0005_chain_configs"
branch_labels = ("committee",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "committee_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_committee_sessions_district_code", "committee_sessions", ["district_code"])
    op.create_table(
        "committee_agenda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("committee_sessions.id"), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("review_items.id"), nullable=False),
        sa.Column("decision_type", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("tallies", sa.JSON(), nullable=True),
        sa.Column("exemplar", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_committee_agenda_session_id", "committee_agenda", ["session_id"])
    op.create_index("ix_committee_agenda_item_id", "committee_agenda", ["item_id"])
    op.create_table(
        "committee_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_entry_id", sa.Integer(), sa.ForeignKey("committee_agenda.id"),
                  nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("member_name", sa.String(length=200), nullable=False),
        sa.Column("choice", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agenda_entry_id", "member_id", name="uq_committee_vote"),
    )
    op.create_index("ix_committee_votes_agenda_entry_id", "committee_votes", ["agenda_entry_id"])
    op.add_column("review_items", sa.Column("exemplar", sa.Boolean(), nullable=False,
                                            server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("review_items") as batch:
        batch.drop_column("exemplar")
    op.drop_table("committee_votes")
    op.drop_table("committee_agenda")
    op.drop_table("committee_sessions")
