"""nominations: award nominations from exemplars, their append-only history, ineligible subjects,
and generated dossiers

Revision ID: 0006_nominations
Revises: 0006_inspections
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_nominations"
down_revision = "0006_inspections"
branch_labels = ("nominations",)
depends_on = "0005_committee"

MESSAGE = "the nomination history is append-only"


def upgrade() -> None:
    op.create_table(
        "nominations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("review_items.id"), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("district_code", sa.String(length=80), nullable=False),
        sa.Column("commune_code", sa.String(length=80), nullable=False),
        sa.Column("commune_name", sa.String(length=200), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("subject_key", sa.String(length=200), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("award_form", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("commendation_type", sa.String(length=40), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("achievements", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("inspection_outcome", sa.String(length=20), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("returned", sa.Boolean(), nullable=False),
        sa.Column("decision_number", sa.String(length=80), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("signer", sa.String(length=200), nullable=True),
        sa.Column("drop_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_nominations_item_id", "nominations", ["item_id"])
    op.create_index("ix_nominations_district_code", "nominations", ["district_code"])
    op.create_index("ix_nominations_subject_key", "nominations", ["subject_key"])
    op.create_index("ix_nominations_status", "nominations", ["status"])
    op.create_table(
        "nomination_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), sa.ForeignKey("nominations.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_nomination_history_nomination_id", "nomination_history", ["nomination_id"])
    op.create_table(
        "nomination_ineligible_subjects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=80), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_key", sa.String(length=200), nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("flagged_by", sa.String(length=200), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_nomination_ineligible_subjects_subject_key",
                    "nomination_ineligible_subjects", ["subject_key"])
    op.create_table(
        "nomination_dossiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=80), nullable=False),
        sa.Column("nomination_ids", sa.JSON(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("docx", sa.LargeBinary(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("xlsx", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_nomination_dossiers_district_code", "nomination_dossiers",
                    ["district_code"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION nomination_history_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER nomination_history_append_only BEFORE UPDATE OR DELETE
            ON nomination_history FOR EACH ROW EXECUTE FUNCTION nomination_history_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER nomination_history_no_{event.lower()} BEFORE {event}
                ON nomination_history BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER nomination_history_append_only ON nomination_history")
        op.execute("DROP FUNCTION nomination_history_append_only()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER nomination_history_no_{event}")
    op.drop_table("nomination_dossiers")
    op.drop_table("nomination_ineligible_subjects")
    op.drop_table("nomination_history")
    op.drop_table("nominations")
