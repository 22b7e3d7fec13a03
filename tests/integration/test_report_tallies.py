"""The report's summary tables stay true to the submissions as units and reviewers work.

After each thing that happens in a period — a model approved, returned, withdrawn,
chosen as an exemplar, inspected, a result report approved, a new registration in
another commune, a registration moved to another commune — the report built from
the summary tables shows what counting the submissions one by one gives
(``tests/support/report_oracle.py``), on the embedded engines and on PostgreSQL.
A change whose transaction committed late (its ``updated_at`` older than the last
refresh, within the margin) is still counted.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import select

from intake_service.periods.tables import Period
from intake_service.recognition import services as recognition
from intake_service.reporting import domain, services, tallies
from intake_service.reporting.tables import TallyMark
from intake_service.submissions import services as intake_services
from intake_service.submissions.tables import Submission
from shared import events
from tests.integration import test_reporting
from tests.integration.test_reporting import ADMIN, FIGURES, Units
from tests.support import report_oracle

pytestmark = pytest.mark.integration
app, data = test_reporting.app, test_reporting.data  # its app and small Con Cuông data set


def report_of(app, org: str, period_id: int):
    intake = app.extensions["intake"]
    with intake.sessions() as db:
        period = db.get(Period, period_id)
        today = date.today()
        report = services.build_report(db, ADMIN, org, period, today)
        tree = services.check_scope(db, ADMIN, org)
        codes = None if org == domain.COUNTRY else tree.communes(org)
        counted = report_oracle.figures(db, period, codes, datetime.now(UTC), today)
        summed = report_oracle.summarised(report, db, period, codes, today)
    return report, counted, summed


def assert_summary_matches_the_submissions(app, period_id: int) -> None:
    for org in ("con-cuong", "mon-son", domain.COUNTRY):
        _report, counted, summed = report_of(app, org, period_id)
        assert summed == counted, org


def units_of(app) -> Units:
    """The data set's units and reviewers, review's events numbered after those already mirrored."""
    units = Units(app)
    units.versions = count(1000)
    return units


def title_id(app, title: str) -> int:
    with app.extensions["intake"].sessions() as db:
        return db.scalar(select(Submission.id).where(Submission.title == title))


def on_review_event(app, handler, event_type: str, payload: dict) -> None:
    event = events.Event(type=event_type, producer="review", aggregate_id=str(payload["model_id"]),
                         aggregate_version=1, payload=payload)
    with app.extensions["intake"].uow() as uow:
        handler(event, uow)
        uow.commit()


def test_the_report_counts_what_the_submissions_say_after_each_change_in_the_period(app, data):
    units, period = units_of(app), data["h1_2024"]
    assert_summary_matches_the_submissions(app, period)

    waiting = title_id(app, "Đội văn nghệ thanh niên bản")
    units.decide(waiting, "approved")  # the commune approves the model that was waiting
    assert_summary_matches_the_submissions(app, period)

    road = title_id(app, "Hiến đất làm đường bản Tạng")
    units.decide(title_id(app, "Trồng quế theo tổ hợp tác"), "returned")
    units.withdraw("nga", title_id(app, "Giữ gìn điệu khắp Thái"))  # the returned one, taken back
    assert_summary_matches_the_submissions(app, period)

    now = datetime.now(UTC)
    on_review_event(app, recognition.on_exemplar_marked, events.EXEMPLAR_MARKED, {
        "model_id": road, "submission_id": road, "item_id": road, "session_id": None,
        "actor": {"id": 9, "name": "Chủ tịch"}, "marked_at": now})
    on_review_event(app, recognition.on_inspection_concluded, events.INSPECTION_CONCLUDED, {
        "task_id": 1, "model_id": road, "period_id": period, "nomination_id": None, "outcome": "verified",
        "findings": "", "team_name": "Tổ 1", "actor": {"id": 9, "name": "Tổ trưởng"}, "concluded_at": now})
    report, _counted, _summed = report_of(app, "con-cuong", period)
    assert report.recognition["exemplars"]["exemplar"] == 1
    assert report.recognition["inspections"] == {"verified": 1}
    assert_summary_matches_the_submissions(app, period)

    units.report("tam", title_id(app, "Tuần tra biên giới cùng dân bản"), period, FIGURES)
    units.register("nga", "Nhóm phụ nữ tiết kiệm", "economy", "collective", unit="Chi hội phụ nữ bản Khe")
    report, _counted, _summed = report_of(app, "con-cuong", period)
    assert report.contributions["money_vnd"] == 2 * FIGURES["money_vnd"]
    assert report.registered.total == 8 + 1 - 1  # a new one in Bồng Khê; Nga's returned one withdrawn
    assert_summary_matches_the_submissions(app, period)


def test_a_registration_moved_to_another_commune_leaves_the_old_one(app, data):
    units, period = units_of(app), data["h1_2024"]
    before, _counted, _summed = report_of(app, "mon-son", period)
    cinnamon = title_id(app, "Trồng quế theo tổ hợp tác")
    units.decide(cinnamon, "returned")
    moved = replace(units.people["hoa"], scope="chau-khe")  # the unit now works from Châu Khê
    with app.extensions["intake"].uow() as uow:
        intake_services.save_draft(intake_services.SaveDraft(moved, {
            "title": "Trồng quế theo tổ hợp tác", "field": "economy", "subject_type": "collective",
            "commune_code": "chau-khe", "unit_name": "Hội LHPN xã Môn Sơn"}, submission_id=cinnamon), uow)
    after, _counted, _summed = report_of(app, "mon-son", period)
    assert after.registered.total == before.registered.total - 1
    assert_summary_matches_the_submissions(app, period)


def test_a_change_committed_late_is_still_counted(app, data):
    """A transaction that set ``updated_at`` and committed after a refresh had looked is counted
    by the next one, as long as it is within the margin; older still, by the daily rebuild."""
    period = data["h1_2024"]
    report_of(app, "con-cuong", period)  # a refresh: the watermark moves to now
    intake = app.extensions["intake"]
    with intake.sessions() as db:
        watermark = db.scalar(select(TallyMark.watermark))
        late = db.get(Submission, title_id(app, "Đội văn nghệ thanh niên bản"))
        late.status, late.updated_at = "approved", watermark - tallies.LATE_COMMIT_MARGIN / 2
        db.commit()
    report, counted, summed = report_of(app, "con-cuong", period)
    assert report.status["registration"].approved == 7 and summed == counted

    with intake.sessions() as db:
        too_late = db.get(Submission, title_id(app, "Dân bản tự quản an ninh"))
        too_late.status = "rejected"
        too_late.updated_at = db.scalar(select(TallyMark.watermark)) - 2 * tallies.LATE_COMMIT_MARGIN
        db.commit()
    assert report_of(app, "con-cuong", period)[0].status["registration"].rejected == 1  # not seen yet
    tallies.rebuild(intake.engine)
    assert report_of(app, "con-cuong", period)[0].status["registration"].rejected == 2
    assert_summary_matches_the_submissions(app, period)


def test_a_refresh_with_nothing_new_recomputes_nothing_and_changes_within_the_margin_once(app, data):
    engine = app.extensions["intake"].engine
    tallies.refresh(engine)
    assert tallies.refresh(engine) == 0
    units_of(app).decide(title_id(app, "Đội văn nghệ thanh niên bản"), "returned")
    assert tallies.refresh(engine) == 1  # Môn Sơn's group
    assert tallies.refresh(engine, datetime.now(UTC) + timedelta(minutes=1)) == 0
