"""Intake's report counts a waiting submission overdue by the due time review gave its stage,
never by a guess of its own: review announces each stage's due time (``DVK_STAGE_DUE_DAYS``)
in the item's opened and decision events, and intake mirrors it on the submission.

The events go the way the relays carry them, by hand: from one service's outbox, checked
against their contract, to the other's handler. On the embedded engines and on PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from intake_service.accounts import services as accounts
from intake_service.accounts.tables import User
from intake_service.periods import services as periods
from intake_service.periods.tables import Period
from intake_service.reporting import services as reporting
from intake_service.submissions import services as intake_services
from intake_service.submissions.tables import Submission
from review_service.queue import services as review_services
from review_service.queue.domain import Decision
from review_service.queue.tables import ReviewItem
from shared import clock, events
from shared.identity import Identity
from tests.conftest import ENGINE_KINDS, require_engines
from tests.support.engines import drop_databases, environment
from tests.support.web import running_apps

PEOPLE = {
    "hoa": ("Lô Thị Hoa", "submitter", "mon-son"),
    "xa": ("Lương Văn Thắng", "commune_reviewer", "mon-son"),
}
ADMIN = Identity(0, "Quản trị", "admin", "con-cuong")
STAGES = "commune=10,district=3"  # review's deadlines: no longer the seven days intake assumed


@pytest.fixture(params=ENGINE_KINDS)
def apps(request, tmp_path, monkeypatch):
    require_engines(request.param)
    env = environment(request.param, tmp_path) | {"DVK_STAGE_DUE_DAYS": STAGES}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        with running_apps(tmp_path, PEOPLE, env) as both:
            yield both
    finally:
        drop_databases(env)


def person(intake_app, username: str) -> Identity:
    with intake_app.extensions["intake"].sessions() as db:
        return accounts.identity_of(db.scalar(select(User).where(User.username == username)))


def relayed(service, event_type: str, after: int = 0) -> list[tuple[int, events.Event]]:
    """What a service's outbox holds of one type (past row ``after``), as a consumer decodes it."""
    table = service.outbox.table
    with service.engine.connect() as db:
        rows = db.execute(select(table.c.id, table.c.body).where(
            table.c.routing_key == event_type, table.c.id > after).order_by(table.c.id))
        return [(row_id, events.decode(json.loads(body))) for row_id, body in rows]


def overdue_on(intake_app, period_id: int, moment: datetime) -> tuple[int, int]:
    """The district report's (waiting, overdue) registrations, asked at ``moment`` (the report's
    clock moved there, the rest of the system's left alone)."""
    with pytest.MonkeyPatch.context() as patch, intake_app.extensions["intake"].sessions() as db:
        patch.setattr(reporting, "clock", SimpleNamespace(now=lambda: moment))
        report = reporting.build_report(db, ADMIN, "con-cuong", db.get(Period, period_id),
                                        moment.date())
    row = report.status["registration"]
    return row.pending, row.overdue


def test_the_report_counts_overdue_by_the_due_time_review_gave_the_stage(apps):
    intake_app, review_app = apps
    intake, review = intake_app.extensions["intake"], review_app.extensions["review"]
    today = clock.now().date()
    with intake.uow() as uow:
        period_id = periods.open_period(periods.OpenPeriod(
            ADMIN, "H1", today.year, ("registrations", "reports"), date(today.year, 1, 1),
            today + timedelta(days=60)), uow).id
    with intake.uow() as uow:
        sid = intake_services.save_draft(intake_services.SaveDraft(person(intake_app, "hoa"), {
            "title": "Hiến đất làm đường bản Xiềng", "field": "new_rural",
            "subject_type": "collective", "commune_code": "mon-son",
            "unit_name": "Hội LHPN xã Môn Sơn"}, and_submit=True), uow).id

    [(_row, submitted)] = [(row, e) for row, e in relayed(intake, events.SUBMISSION_SUBMITTED)
                           if e.payload["submission_id"] == sid]
    with review.uow() as uow:
        review_services.on_submitted(submitted, uow, review.chain_config)
        uow.commit()
    [(seen, opened)] = relayed(review, events.REVIEW_ITEM_OPENED)
    with review.sessions() as db:
        item = db.scalar(select(ReviewItem).where(ReviewItem.submission_id == sid))
    assert opened.version == 2 and opened.payload["stage"] == "commune"
    assert opened.payload["due_at"] == item.due_at == opened.payload["opened_at"] + timedelta(days=10)

    with intake.uow() as uow:
        intake_services.on_item_opened(opened, uow)
        uow.commit()
    with intake.sessions() as db:
        assert db.get(Submission, sid).review_due_at == item.due_at
    at = opened.payload["opened_at"]
    assert overdue_on(intake_app, period_id, at + timedelta(days=8)) == (1, 0)
    assert overdue_on(intake_app, period_id, at + timedelta(days=10, minutes=1)) == (1, 1)

    with review.uow() as uow:  # the commune approves: the district has three days
        review_services.decide(review_services.Decide(
            person(intake_app, "xa"), item.id, Decision.APPROVE, "", item.version), uow)
    [(_row, decided)] = relayed(review, events.REVIEW_DECISION_RECORDED, after=seen)
    assert decided.version == 2 and decided.payload["to_stage"] == "district"
    moved_at = decided.payload["decided_at"]
    assert decided.payload["due_at"] == moved_at + timedelta(days=3)
    with intake.uow() as uow:
        intake_services.on_decision_recorded(decided, uow)
        uow.commit()
    assert overdue_on(intake_app, period_id, moved_at + timedelta(days=2)) == (1, 0)
    assert overdue_on(intake_app, period_id, moved_at + timedelta(days=4)) == (1, 1)


def test_a_submission_review_gave_no_due_time_is_never_overdue(apps):
    """An announcement from an older review (v1, no due time) leaves the submission waiting with
    no deadline intake could know: it is counted as waiting, never as overdue."""
    intake_app, _review_app = apps
    intake = intake_app.extensions["intake"]
    today = clock.now().date()
    with intake.uow() as uow:
        period_id = periods.open_period(periods.OpenPeriod(
            ADMIN, "H1", today.year, ("registrations",), date(today.year, 1, 1),
            today + timedelta(days=60)), uow).id
    with intake.uow() as uow:
        sid = intake_services.save_draft(intake_services.SaveDraft(person(intake_app, "hoa"), {
            "title": "Nuôi ong lấy mật bản Cống", "field": "economy", "subject_type": "collective",
            "commune_code": "mon-son", "unit_name": "Hội LHPN xã Môn Sơn"}, and_submit=True), uow).id
    opened_at = clock.now()
    v1 = events.decode(events.encode(events.Event(
        type=events.REVIEW_ITEM_OPENED, producer="review", aggregate_id=str(sid),
        aggregate_version=1, payload={"submission_id": sid, "item_id": 1, "stage": "commune",
                                      "opened_at": opened_at})))
    with intake.uow() as uow:
        intake_services.on_item_opened(v1, uow)
        uow.commit()
    assert overdue_on(intake_app, period_id, opened_at + timedelta(days=30)) == (1, 0)
