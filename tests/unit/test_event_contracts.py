"""Event contracts are checked on both ends: a producer cannot send, nor a consumer accept, a bad one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared import events
from tests.integration.system import submitted_event


def test_a_valid_event_survives_the_wire_with_its_payload_typed():
    wire = submitted_event(42, version=3)
    event = events.decode(wire)
    assert (event.type, event.version, event.aggregate_version) == (events.SUBMISSION_SUBMITTED, 1, 3)
    assert event.payload["submission_id"] == 42
    assert event.payload["submitted_at"].tzinfo is not None
    assert event.correlation_id


@pytest.mark.parametrize("broken", [
    pytest.param({"version": 99}, id="unknown-version"),
    pytest.param({"version": 2}, id="v2-without-details"),
    pytest.param({"type": "intake.submission.exploded"}, id="unknown-type"),
    pytest.param({"event_id": "not-a-uuid"}, id="bad-id"),
    pytest.param({"aggregate_version": "3"}, id="version-as-text"),
    pytest.param({"payload": {"submission_id": 1}}, id="payload-missing-fields"),
    pytest.param({"surprise": True}, id="unknown-envelope-field"),
])
def test_a_consumer_refuses_an_event_that_breaks_its_contract(broken):
    with pytest.raises(events.ContractError):
        events.decode(submitted_event(1) | broken)


@pytest.mark.parametrize("body", [None, [], "text", 42])
def test_a_body_that_is_not_an_object_is_refused(body):
    with pytest.raises(events.ContractError):
        events.decode(body)


def test_a_producer_cannot_publish_an_invalid_payload():
    bad = events.Event(type=events.REVIEW_DECISION_RECORDED, producer="review", aggregate_id="1",
                       aggregate_version=1, payload={"submission_id": 1, "decision": "maybe"})
    with pytest.raises(events.ContractError):
        events.encode(bad)


DETAILS = {"unit_name": "Hội Phụ nữ xã Môn Sơn", "person_name": None, "villages": "Bản Xiềng, Bản Cống",
           "situation": "Đường vào bản lầy lội", "objectives": "2 km đường bê tông",
           "activities": "Vận động hiến đất", "beneficiaries": "120 hộ", "forces": "Hội viên",
           "timeline": "6/2024 - 12/2024", "expected_outputs": "Đường mới",
           "sustainability": "Nhân rộng ra các bản", "funding_vnd": 1_139_000_000,
           "labour_days": 8524}


def submitted_v2(**changes) -> dict:
    """A v2 ``intake.submission.submitted``: the v1 payload plus the registration's details."""
    v1 = submitted_event(7)
    return v1 | {"version": 2, "payload": v1["payload"] | {"details": DETAILS} | changes}


def test_a_v2_submitted_event_carries_the_registrations_details():
    event = events.decode(submitted_v2())
    assert event.version == 2
    assert event.payload["details"] == DETAILS


def test_a_v2_event_survives_encoding_by_a_producer():
    event = events.decode(submitted_v2())
    assert events.decode(events.encode(event)).payload["details"]["funding_vnd"] == 1_139_000_000


def test_a_v1_submitted_event_is_still_accepted_without_details():
    event = events.decode(submitted_event(7))
    assert event.version == 1 and "details" not in event.payload


@pytest.mark.parametrize("bad", [
    pytest.param({"funding_vnd": -1}, id="negative-money"),
    pytest.param({"funding_vnd": "1.139.000.000"}, id="money-as-text"),
    pytest.param({"labour_days": 1.5}, id="fractional-days"),
    pytest.param({"situation": "x" * 4001}, id="section-too-long"),
    pytest.param({"surprise": "x"}, id="unknown-detail"),
])
def test_a_v2_event_with_bad_details_is_refused(bad):
    with pytest.raises(events.ContractError):
        events.decode(submitted_v2(details=DETAILS | bad))


# ---- what review tells intake of its deadlines ---------------------------------------------

OPENED_AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def opened(version: int = 2, **payload) -> events.Event:
    return events.Event(
        type=events.REVIEW_ITEM_OPENED, version=version, producer="review", aggregate_id="7",
        aggregate_version=1, payload={"submission_id": 7, "item_id": 1, "stage": "commune",
                                      "opened_at": OPENED_AT} | payload)


def decided(version: int = 2, **payload) -> events.Event:
    return events.Event(
        type=events.REVIEW_DECISION_RECORDED, version=version, producer="review",
        aggregate_id="7", aggregate_version=2, payload={
            "submission_id": 7, "item_id": 1, "decision": "approve", "outcome": "advanced",
            "from_stage": "commune", "to_stage": "district", "comment": None,
            "actor": {"id": 3, "name": "Lương Văn Thắng"}, "decided_at": OPENED_AT} | payload)


def test_a_v2_opened_event_carries_when_its_stage_is_due():
    due = OPENED_AT + timedelta(days=10)
    event = events.decode(events.encode(opened(due_at=due)))
    assert (event.version, event.payload["due_at"]) == (2, due)


def test_a_v2_opened_event_without_its_due_time_is_refused():
    with pytest.raises(events.ContractError):
        events.encode(opened())
    with pytest.raises(events.ContractError):
        events.encode(opened(due_at=None))


def test_a_v1_opened_event_is_still_accepted_without_a_due_time_and_refused_with_one():
    assert "due_at" not in events.decode(events.encode(opened(version=1))).payload
    wire = events.encode(opened(due_at=OPENED_AT))
    with pytest.raises(events.ContractError):  # a v1 consumer would not know the field
        events.decode(wire | {"version": 1})


def test_a_v2_decision_carries_the_next_stage_due_time_or_none():
    due = OPENED_AT + timedelta(days=5)
    assert events.decode(events.encode(decided(due_at=due))).payload["due_at"] == due
    final = decided(due_at=None, outcome="approved", to_stage=None)
    assert events.decode(events.encode(final)).payload["due_at"] is None
    with pytest.raises(events.ContractError):
        events.encode(decided())  # always said, if only as none
    assert "due_at" not in events.decode(events.encode(decided(version=1))).payload
