"""Event contracts are checked on both ends: a producer cannot send, nor a consumer accept, a bad one."""

from __future__ import annotations

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
    pytest.param({"version": 2}, id="unknown-version"),
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
