"""Whatever happens to a period's submissions, and in whatever order the refreshes come, the
summary tables give what counting the submissions one by one gives.

Random histories on SQLite: submissions sent, decided, withdrawn, marked as exemplars,
inspected, given (or cleared of) a due time by review, moved to another commune or period,
result figures written; some changes
committed late (their ``updated_at`` up to the margin before the moment they land); the
clock moving on; refreshes now and then. After a last refresh, every figure the report
reads from the summary tables equals the one counted straight from the rows
(``tests/support/report_oracle.py``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

import intake_service.directory.tables  # noqa: F401 - every table of intake's schema
from intake_service.accounts.tables import User
from intake_service.periods.domain import local_date
from intake_service.periods.tables import Period
from intake_service.recognition import services as recognition  # noqa: F401
from intake_service.reporting import domain, queries, tallies
from intake_service.results.tables import ReportFigure
from intake_service.submissions.tables import HistoryEntry, Submission
from intake_service.tables import Base
from shared.catalog import INDICATORS
from shared.db import make_engine, make_session_factory
from tests.support import report_oracle

pytestmark = pytest.mark.integration
COMMUNES = ("mon-son", "chau-khe", "bong-khe")
FIELDS = ("economy", "new_rural")
STATUSES = ("draft", "submitted", "in_review", "returned", "approved", "rejected", "withdrawn")
MARGIN_MINUTES = int(tallies.LATE_COMMIT_MARGIN.total_seconds() // 60)
START = datetime(2026, 2, 1, 3, tzinfo=UTC)

new = st.tuples(st.just("new"), st.sampled_from(("registration", "registration", "result_report")),
                st.sampled_from((1, 2)), st.integers(0, len(COMMUNES) - 1), st.sampled_from(FIELDS),
                st.sampled_from(("collective", "individual")), st.sampled_from(STATUSES), st.integers(0, 2))
change = st.tuples(st.sampled_from(("status", "exemplar", "inspection", "commune", "period", "figure",
                                    "due")),
                   st.integers(0, 50), st.integers(0, 6))
step = st.tuples(st.one_of(new, new, change, st.tuples(st.just("refresh")), st.tuples(st.just("tick"))),
                 st.integers(0, MARGIN_MINUTES - 1), st.integers(0, 30))


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('tallies')}/intake.db")
    Base.metadata.create_all(engine)
    yield engine, make_session_factory(engine)
    engine.dispose()


def _empty(sessions) -> None:
    with sessions() as db:
        for table in reversed(Base.metadata.sorted_tables):
            db.execute(delete(table))
        db.add_all([Period(id=1, kind="H1", year=2025, due_registrations=True, due_reports=True,
                           opens_on=date(2025, 1, 1), deadline=date(2026, 2, 2), opened_by="test"),
                    Period(id=2, kind="H1", year=2026, due_registrations=True, due_reports=True,
                           opens_on=date(2026, 1, 25), deadline=date(2026, 2, 3), opened_by="test")])
        db.add_all(User(id=n + 1, username=f"donvi{n}", name=f"Đơn vị {n}", password_hash="-",
                        role="submitter", scope=code) for n, code in enumerate(COMMUNES))
        db.commit()


def _apply(db, action: tuple, at: datetime) -> None:
    """One change, its ``updated_at`` set to ``at`` (the moment it was made)."""
    rows = list(db.scalars(select(Submission).order_by(Submission.id)))
    if action[0] == "new":
        _kind, kind, period, commune, field, subject, status, name = action
        row = Submission(kind=kind, title="Mô hình", title_key="mo hinh", field=field, subject_type=subject,
                         commune_code=COMMUNES[commune], submitter_id=commune + 1, status=status,
                         period_id=period, unit_name=None if name == 0 else f"Đơn vị {name}",
                         person_name=None if name == 0 else f"Người {name}", created_at=at, updated_at=at)
        db.add(row)
        if status != "draft":
            db.add(HistoryEntry(submission=row, actor_name="-", from_status="draft", to_status="submitted",
                                at=at))
        return
    what, index, value = action
    if not rows:
        return
    row = rows[index % len(rows)]
    if what == "status":
        row.status = STATUSES[value]
        if row.status == "submitted":
            db.add(HistoryEntry(submission=row, actor_name="-", from_status="returned", to_status="submitted",
                                at=at))
    elif what == "exemplar":
        row.exemplar = not row.exemplar
    elif what == "inspection":
        row.inspection_outcome = (None, "verified", "partly_verified", "not_verified")[value % 4]
    elif what == "commune":
        tallies.note_leaving(db, row, row.period_id, COMMUNES[value % len(COMMUNES)])
        row.commune_code = COMMUNES[value % len(COMMUNES)]
    elif what == "period":
        tallies.note_leaving(db, row, 1 + value % 2, row.commune_code)
        row.period_id = 1 + value % 2
    elif what == "due":  # review announced (or cleared) the due time of the stage it waits at
        row.review_due_at = None if value == 0 else at + timedelta(minutes=10 * (value - 3))
    else:
        code = list(INDICATORS)[value % len(INDICATORS)]
        db.execute(delete(ReportFigure).where(ReportFigure.submission_id == row.id,
                                              ReportFigure.code == code))
        db.add(ReportFigure(submission_id=row.id, code=code, value=Decimal(value * 1000 + index) / 10))
    row.updated_at = at


def _from_tallies(db, period: Period, codes, now: datetime) -> report_oracle.Figures:
    detail = queries.model_rows(db, period, codes)
    status = domain.shape_status(queries.status_rows(db, period, codes, now))
    status.setdefault("registration", domain.StatusRow())
    contributions = domain.totals_of(((code, value) for _f, code, value in
                                      queries.contribution_rows(db, period, codes)), INDICATORS)
    recognised = domain.recognition_of(detail)
    dues = {unit.id: items for unit, items in queries.timeliness(db, period, codes, local_date(now))}
    return report_oracle.Figures(
        {(r.commune, r.field, r.subject): r.models for r in detail if r.models},
        {(r.commune, r.subject): r.holders for r in queries.holder_rows(db, period, codes) if r.holders},
        status, contributions, recognised["exemplars"]["exemplar"], recognised["inspections"], dues)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=40))
def test_the_summary_tables_give_what_the_submissions_say_whatever_happened(database, steps):
    engine, sessions = database
    _empty(sessions)
    now = START
    for action, late_minutes, minutes in steps:
        if action[0] == "tick":
            now += timedelta(minutes=minutes)
        elif action[0] == "refresh":
            tallies.refresh(engine, now)
        else:
            with sessions() as db:  # committed now; a late one says it was changed a while ago
                _apply(db, action, now - timedelta(minutes=late_minutes))
                db.commit()
        now += timedelta(seconds=1)
    tallies.refresh(engine, now)
    with sessions() as db:
        for period_id in (1, 2):
            period = db.get(Period, period_id)
            for codes in (None, ["mon-son"], ["chau-khe", "bong-khe"]):
                counted = report_oracle.figures(db, period, codes, now, local_date(now))
                summed = _from_tallies(db, period, codes, now)
                if codes is not None:  # a unit's submission moved out of its commune: the area's rules differ
                    counted.dues = summed.dues = {}
                assert summed == counted, (period_id, codes)
