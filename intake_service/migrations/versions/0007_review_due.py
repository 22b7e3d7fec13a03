"""the due time of the review stage a submission waits at, as review announces it

The report's "overdue" follows review's own deadlines (``DVK_STAGE_DUE_DAYS``), which
``review.item.opened`` v2 and ``review.decision.recorded`` v2 carry; intake kept no copy of
them but a guess of seven days since the last change. A submission already waiting is given
that guess once, so the report counts it as before until review's next announcement. The
index of waiting submissions, which only the overdue count reads, is on the due time now.

Revision ID: 0007_review_due
Revises: 0006_report_tallies
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime

revision = "0007_review_due"
down_revision = "0006_report_tallies"
branch_labels = None
depends_on = None

WAITING = "status IN ('submitted', 'in_review')"
FORMER_GUESS = timedelta(days=7)  # what the report assumed of every stage before review said


def _waiting_index(column: str) -> None:
    op.create_index("ix_submissions_waiting", "submissions", ["period_id", "kind", column],
                    postgresql_include=["commune_code"], postgresql_where=sa.text(WAITING),
                    sqlite_where=sa.text(WAITING))


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch_op:
        batch_op.add_column(sa.Column("review_due_at", UTCDateTime(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"UPDATE submissions SET review_due_at = updated_at "
                   f"+ interval '{FORMER_GUESS.days} days' WHERE {WAITING}")
    else:  # the same, a row at a time, where the database has no interval arithmetic
        submissions = sa.table("submissions", sa.column("id", sa.Integer()),
                               sa.column("updated_at", UTCDateTime()),
                               sa.column("review_due_at", UTCDateTime()))
        rows = bind.execute(sa.select(submissions.c.id, submissions.c.updated_at)
                            .where(sa.text(WAITING))).all()
        if rows:
            bind.execute(submissions.update().where(submissions.c.id == sa.bindparam("sid"))
                         .values(review_due_at=sa.bindparam("due", type_=UTCDateTime())),
                         [{"sid": sid, "due": at + FORMER_GUESS} for sid, at in rows])
    op.drop_index("ix_submissions_waiting", table_name="submissions")
    _waiting_index("review_due_at")


def downgrade() -> None:
    op.drop_index("ix_submissions_waiting", table_name="submissions")
    _waiting_index("updated_at")
    with op.batch_alter_table("submissions") as batch_op:
        batch_op.drop_column("review_due_at")
