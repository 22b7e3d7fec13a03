"""inspections: plans with their sample's seed, teams and members, tasks, evidence, audit trail

Revision ID: 0006_inspections
Revises: 0005_resubmissions
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_inspections"
down_revision = "0005_resubmissions"
branch_labels = ("inspections",)
depends_on = None  # references review_items only, which 0001 creates


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "inspection_plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("district_code", sa.String(80), nullable=False, index=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=True),
        sa.Column("sample_share", sa.String(20), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("sampled_from", sa.Integer(), nullable=False),
        _when("sampled_at", nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "inspection_teams",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("district_code", sa.String(80), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("communes", sa.JSON(), nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("district_code", "name", name="uq_inspection_team_name"),
    )
    op.create_table(
        "inspection_team_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("inspection_teams.id"), nullable=False,
                  index=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("home_commune", sa.String(80), nullable=False),
        sa.Column("unit_name", sa.String(200), nullable=True),
        sa.UniqueConstraint("team_id", "user_id", name="uq_inspection_team_member"),
    )
    op.create_table(
        "inspection_tasks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("inspection_plans.id"), nullable=False,
                  index=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("review_items.id"), nullable=False,
                  index=True),
        sa.Column("model_id", sa.Integer(), nullable=False, index=True),
        sa.Column("district_code", sa.String(80), nullable=False),
        sa.Column("commune_code", sa.String(80), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=True, index=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("inspection_teams.id"), nullable=True,
                  index=True),
        sa.Column("inspectors", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _when("assigned_at", nullable=True),
        _when("due_at", nullable=True),
        sa.Column("escalation", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("checklist", sa.JSON(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("concluded_by", sa.String(200), nullable=True),
        _when("concluded_at", nullable=True),
        sa.Column("draft", sa.JSON(), nullable=True),
        _when("draft_at", nullable=True),
        _when("created_at"),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_inspection_tasks_open", "inspection_tasks",
                    ["district_code", "status", "due_at", "id"])
    op.create_table(
        "inspection_evidence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("inspection_tasks.id"), nullable=False,
                  index=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored_as", sa.String(80), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        _when("uploaded_at"),
    )
    op.create_table(
        "inspection_audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("inspection_tasks.id"), nullable=False,
                  index=True),
        _when("at"),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("inspection_audit")
    op.drop_table("inspection_evidence")
    op.drop_index("ix_inspection_tasks_open", table_name="inspection_tasks")
    op.drop_table("inspection_tasks")
    op.drop_table("inspection_team_members")
    op.drop_table("inspection_teams")
    op.drop_table("inspection_plans")
