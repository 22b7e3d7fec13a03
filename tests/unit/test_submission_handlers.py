"""Intake's handlers on a unit of work without a database (``tests/support/fakes.py``): a unit
withdraws its own submission, and review's news moves a submission on, older news ignored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake_service import tables
from intake_service.submissions import services
from intake_service.submissions.domain import Status
from intake_service.submissions.tables import HistoryEntry, Submission
from shared import events
from shared.errors import InvalidTransition, NotFound, NotPermitted
from shared.identity import Identity
from tests.support.fakes import FakeUnitOfWork

tables.metadata()  # every mapped class known, as the services' bootstrap leaves them

HOA = Identity(1, "Lô Thị Hoa", "submitter", "mon-son")
TAM = Identity(2, "Vi Văn Tâm", "submitter", "mon-son")
XA = Identity(3, "Lương Văn Thắng", "commune_reviewer", "mon-son")
DECIDED_AT = datetime(2024, 6, 12, 2, 30, tzinfo=UTC)


def submission(id: int = 7, status: str = Status.SUBMITTED, **values) -> Submission:
    """A registration of Hoa's as intake holds it."""
    return Submission(**{
        "id": id, "kind": "registration", "title": "Hiến đất làm đường bản Xiềng",
        "title_key": "hien dat lam duong ban xieng", "field": "new_rural",
        "subject_type": "collective", "commune_code": "mon-son", "submitter_id": HOA.id,
        "status": status, "stage": None, "version": 2, "review_version": 0, "last_comment": None,
        "model_id": None, "model": None, "history": [],
        "updated_at": datetime(2024, 6, 1, tzinfo=UTC)} | values)


def decision(outcome: str, version: int = 3, submission_id: int = 7, comment: str | None = None,
             from_stage: str = "commune", to_stage: str | None = None) -> events.Event:
    return events.Event(
        type=events.REVIEW_DECISION_RECORDED, producer="review", aggregate_id=str(submission_id),
        aggregate_version=version, payload={
            "submission_id": submission_id, "item_id": 1, "decision": outcome, "outcome": outcome,
            "from_stage": from_stage, "to_stage": to_stage, "comment": comment,
            "actor": {"id": XA.id, "name": XA.name}, "decided_at": DECIDED_AT})


# ---- withdrawing ------------------------------------------------------------------------------


def test_a_unit_withdraws_its_sent_submission_and_review_is_told():
    sent = submission()
    uow = FakeUnitOfWork(sent)

    services.withdraw(services.Withdraw(HOA, sent.id), uow)

    assert (sent.status, sent.version) == (Status.WITHDRAWN, 3)
    [entry] = uow.added(HistoryEntry)
    assert (entry.submission, entry.actor_name, entry.from_status, entry.to_status) == (
        sent, "Lô Thị Hoa", Status.SUBMITTED, Status.WITHDRAWN)
    [event] = uow.emitted
    assert (event.type, event.aggregate_id, event.aggregate_version) == (
        events.SUBMISSION_WITHDRAWN, "7", 3)
    assert event.payload["actor"] == {"id": 1, "name": "Lô Thị Hoa"}
    assert uow.commits == 1


def test_a_draft_withdrawn_was_never_sent_so_review_hears_nothing():
    draft = submission(status=Status.DRAFT)
    uow = FakeUnitOfWork(draft)

    services.withdraw(services.Withdraw(HOA, draft.id), uow)

    assert draft.status == Status.WITHDRAWN
    assert uow.emitted == [] and uow.commits == 1


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REJECTED, Status.WITHDRAWN])
def test_a_decided_or_withdrawn_submission_cannot_be_withdrawn(status):
    done = submission(status=status)
    uow = FakeUnitOfWork(done)
    with pytest.raises(InvalidTransition):
        services.withdraw(services.Withdraw(HOA, done.id), uow)
    assert (done.status, done.version) == (status, 2)
    assert uow.emitted == [] and uow.commits == 0 and uow.added(HistoryEntry) == []


@pytest.mark.parametrize(("who", "refusal"), [
    (TAM, NotFound),  # another unit does not even see it
    (XA, NotPermitted),  # the commune's reviewer sees it, but it is not theirs to withdraw
])
def test_only_the_unit_that_registered_it_withdraws_a_submission(who, refusal):
    sent = submission()
    uow = FakeUnitOfWork(sent)
    with pytest.raises(refusal):
        services.withdraw(services.Withdraw(who, sent.id), uow)
    assert sent.status == Status.SUBMITTED
    assert uow.emitted == [] and uow.commits == 0


def test_a_submission_that_does_not_exist_is_not_found():
    with pytest.raises(NotFound):
        services.withdraw(services.Withdraw(HOA, 99), FakeUnitOfWork(submission()))


# ---- review's decisions, mirrored ----------------------------------------------------------


def test_a_return_at_the_commune_reaches_the_unit_with_the_reviewers_comment():
    sent = submission(status=Status.IN_REVIEW, stage="commune", review_version=2)
    uow = FakeUnitOfWork(sent)

    services.on_decision_recorded(decision("returned", comment="Bổ sung chỉ tiêu"), uow)

    assert (sent.status, sent.stage, sent.review_version) == (Status.RETURNED, "commune", 3)
    assert sent.last_comment == "Bổ sung chỉ tiêu"
    [entry] = uow.added(HistoryEntry)
    assert (entry.actor_name, entry.from_status, entry.to_status, entry.stage, entry.comment,
            entry.at) == ("Lương Văn Thắng", Status.IN_REVIEW, Status.RETURNED, "commune",
                          "Bổ sung chỉ tiêu", DECIDED_AT)


def test_an_approval_at_the_commune_moves_the_submission_to_the_district():
    sent = submission(status=Status.IN_REVIEW, stage="commune", review_version=2)
    uow = FakeUnitOfWork(sent)
    services.on_decision_recorded(decision("advanced", to_stage="district"), uow)
    assert (sent.status, sent.stage) == (Status.IN_REVIEW, "district")


@pytest.mark.parametrize("version", [2, 1])
def test_news_no_newer_than_what_intake_mirrors_changes_nothing(version):
    sent = submission(status=Status.IN_REVIEW, stage="district", review_version=2)
    uow = FakeUnitOfWork(sent)
    services.on_decision_recorded(decision("returned", version=version, comment="Cũ"), uow)
    assert (sent.status, sent.stage, sent.review_version, sent.last_comment) == (
        Status.IN_REVIEW, "district", 2, None)
    assert uow.added(HistoryEntry) == []


def test_news_of_a_submission_intake_does_not_hold_is_ignored():
    uow = FakeUnitOfWork(submission())
    services.on_decision_recorded(decision("approved", submission_id=99), uow)
    assert uow.added(HistoryEntry) == []


def test_a_decision_reaching_a_withdrawn_submission_leaves_it_withdrawn():
    gone = submission(status=Status.WITHDRAWN, stage="commune", review_version=2)
    uow = FakeUnitOfWork(gone)
    services.on_decision_recorded(decision("approved"), uow)
    assert gone.status == Status.WITHDRAWN


def test_an_approved_amendment_changes_the_model_and_the_models_history_says_why():
    model = submission(id=7, status=Status.APPROVED, stage="committee", objectives=None)
    amendment = submission(
        id=8, kind="amendment", status=Status.IN_REVIEW, stage="district", review_version=4,
        title="Hiến đất làm đường bê tông bản Xiềng", field="new_rural", objectives="2 km",
        reason="Tên cũ viết thiếu", model_id=7, model=model)
    uow = FakeUnitOfWork(model, amendment)

    services.on_decision_recorded(decision("approved", version=5, submission_id=8,
                                           from_stage="district"), uow)

    assert amendment.status == Status.APPROVED
    assert (model.title, model.objectives, model.status) == (
        "Hiến đất làm đường bê tông bản Xiềng", "2 km", Status.APPROVED)
    assert model.title_key == "hien dat lam duong be tong ban xieng"
    amended = [e for e in uow.added(HistoryEntry) if e.submission is model]
    assert [(e.to_status, e.comment, e.actor_name) for e in amended] == [
        (services.AMENDED, "Tên cũ viết thiếu", "Lương Văn Thắng")]


# ---- review opening the item ----------------------------------------------------------------


def opened(stage: str = "commune", version: int = 1) -> events.Event:
    return events.Event(type=events.REVIEW_ITEM_OPENED, producer="review", aggregate_id="7",
                        aggregate_version=version,
                        payload={"submission_id": 7, "item_id": 1, "stage": stage,
                                 "opened_at": DECIDED_AT})


def test_review_opening_the_item_puts_the_submission_in_review_at_that_stage():
    sent = submission()
    uow = FakeUnitOfWork(sent)
    services.on_item_opened(opened(), uow)
    assert (sent.status, sent.stage, sent.review_version) == (Status.IN_REVIEW, "commune", 1)
    [entry] = uow.added(HistoryEntry)
    assert (entry.actor_name, entry.from_status, entry.to_status, entry.at) == (
        "", Status.SUBMITTED, Status.IN_REVIEW, DECIDED_AT)


def test_an_item_opened_for_a_submission_already_decided_leaves_it_decided():
    done = submission(status=Status.APPROVED, stage="committee")
    uow = FakeUnitOfWork(done)
    services.on_item_opened(opened(stage="commune"), uow)
    assert (done.status, done.stage) == (Status.APPROVED, "committee")
    assert uow.added(HistoryEntry) == []
