"""A reviewer's decision as the review service writes it on PostgreSQL: the item moved, its audit
row and its event, all in one transaction, or nothing at all when someone else got there first."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from review_service.queue import domain
from review_service.queue import services as review_services
from review_service.queue.domain import Decision
from review_service.queue.tables import AuditEntry, ReviewItem
from review_service.tables import outbox
from shared import events
from shared.errors import StaleDecision
from shared.identity import Identity
from tests.conftest import require_engines
from tests.integration.system import submitted_event
from tests.support.engines import drop_databases, environment
from tests.support.people import cast
from tests.support.web import running_apps

XA = Identity(3, "Lương Văn Thắng", "commune_reviewer", "mon-son")
PEOPLE = cast("xa")


@pytest.fixture
def review(tmp_path):
    require_engines("real")
    env = environment("real", tmp_path)
    try:
        with running_apps(tmp_path, PEOPLE, env) as (_intake, review_app):
            yield review_app.extensions["review"]
    finally:
        drop_databases(env)


def opened(review, submission_id: int) -> ReviewItem:
    event = events.decode(submitted_event(submission_id, submitted_at=datetime.now(UTC)))
    with review.uow() as uow:
        review_services.on_submitted(event, uow, review.chain_config)
        uow.commit()
    with review.sessions() as db:
        return db.scalar(select(ReviewItem).where(ReviewItem.submission_id == submission_id))


def decision_events(review) -> list[dict]:
    with review.engine.connect() as db:
        rows = db.execute(select(outbox.c.body).where(
            outbox.c.routing_key == events.REVIEW_DECISION_RECORDED).order_by(outbox.c.id))
        return [json.loads(body) for (body,) in rows]


def audit_of(review, item_id: int) -> list[tuple]:
    with review.sessions() as db:
        return list(db.execute(select(AuditEntry.action, AuditEntry.actor_name, AuditEntry.from_stage,
                                      AuditEntry.to_stage, AuditEntry.to_status)
                               .where(AuditEntry.item_id == item_id).order_by(AuditEntry.id)))


def test_an_approval_moves_the_item_on_and_leaves_its_audit_row_and_event(review):
    item = opened(review, 501)
    with review.uow() as uow:
        decided = review_services.decide(review_services.Decide(
            XA, item.id, Decision.APPROVE, "", item.version), uow)

    assert (decided.stage, decided.status, decided.version) == ("district", "open", item.version + 1)
    with review.sessions() as db:
        now = db.get(ReviewItem, item.id)
        assert (now.stage, now.status, now.version) == ("district", "open", item.version + 1)
        assert now.due_at > item.due_at  # the district's own due time, from the moment it arrived
    assert audit_of(review, item.id)[-1] == ("approve", "Lương Văn Thắng", "commune", "district",
                                             "open")
    [sent] = decision_events(review)
    assert sent["aggregate_version"] == item.version + 1
    assert {k: sent["payload"][k] for k in ("item_id", "outcome", "from_stage", "to_stage")} == {
        "item_id": item.id, "outcome": "advanced", "from_stage": "commune", "to_stage": "district"}


def test_an_item_moved_by_someone_else_after_it_was_read_is_refused_and_nothing_is_written(
        review, monkeypatch):
    item = opened(review, 502)
    decide_as_read = domain.decide

    def someone_else_returns_it_meanwhile(*args):
        with review.engine.begin() as other:
            other.execute(update(ReviewItem).where(ReviewItem.id == item.id)
                          .values(status="returned", version=item.version + 1))
        return decide_as_read(*args)

    monkeypatch.setattr(domain, "decide", someone_else_returns_it_meanwhile)
    with pytest.raises(StaleDecision), review.uow() as uow:
        review_services.decide(review_services.Decide(
            XA, item.id, Decision.APPROVE, "", item.version), uow)

    with review.sessions() as db:
        now = db.get(ReviewItem, item.id)
        assert (now.stage, now.status, now.version) == ("commune", "returned", item.version + 1)
    assert [row.action for row in audit_of(review, item.id)] == ["opened"]
    assert decision_events(review) == []
