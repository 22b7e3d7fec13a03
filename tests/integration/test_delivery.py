"""Events arrive once: duplicates, racing consumers, poison messages, a killed consumer."""

from __future__ import annotations

import json
import signal

import pytest

from shared import deadletters
from tests.integration.system import Publisher, review_rows, submitted_event
from tests.support.stack import wait_for


@pytest.fixture
def publisher(system):
    sender = Publisher(system.settings)
    yield sender
    sender.close()


def items_for(system, first: int, count: int) -> dict[int, int]:
    rows = review_rows(
        system,
        "SELECT submission_id, COUNT(*) FROM review_items "
        "WHERE submission_id BETWEEN :first AND :last GROUP BY submission_id",
        first=first, last=first + count - 1)
    return dict(rows)


def opened_audits(system, first: int, count: int) -> int:
    return review_rows(
        system,
        "SELECT COUNT(*) FROM audit_log a JOIN review_items i ON a.item_id = i.id "
        "WHERE a.action = 'opened' AND i.submission_id BETWEEN :first AND :last",
        first=first, last=first + count - 1)[0][0]


def test_the_same_event_delivered_twice_opens_one_review_item(system, publisher):
    event = submitted_event(700_001)
    publisher.send(event)
    publisher.send(event)
    publisher.send(submitted_event(700_001))  # a new id, same aggregate version: old news

    wait_for(lambda: items_for(system, 700_001, 1), message="the review item")
    wait_for(lambda: review_rows(system, "SELECT COUNT(*) FROM inbox")[0][0] >= 2,
             message="all three deliveries handled")
    assert items_for(system, 700_001, 1) == {700_001: 1}
    assert opened_audits(system, 700_001, 1) == 1


def test_two_consumers_racing_on_one_queue_open_each_item_once(system, publisher):
    system.stack.start("review_consumer", as_name="review_consumer_2")
    try:
        first, count = 710_000, 60
        for offset in range(count):
            event = submitted_event(first + offset)
            publisher.send(event)
            publisher.send(event)
        wait_for(lambda: len(items_for(system, first, count)) == count, timeout=60,
                 message="every item")
        assert set(items_for(system, first, count).values()) == {1}
        assert opened_audits(system, first, count) == count
    finally:
        system.stack.kill("review_consumer_2", signal.SIGTERM)


POISON = [
    pytest.param(b"{not json", "application/json", id="undecodable"),
    pytest.param(b"\x80\x04K\x01.", "application/x-python-serialize", id="disallowed-content-type"),
    pytest.param({"event_id": "x", "type": "intake.submission.submitted"}, "application/json",
                 id="broken-envelope"),
    pytest.param(submitted_event(720_001) | {"version": 99}, "application/json",
                 id="unknown-version"),
    pytest.param(submitted_event(720_002) | {"payload": {"submission_id": "abc"}},
                 "application/json", id="payload-breaks-contract"),
]


@pytest.mark.parametrize(("body", "content_type"), POISON)
def test_a_poison_message_is_dead_lettered_and_valid_events_behind_it_still_flow(
        system, publisher, body, content_type):
    before = len(deadletters.peek(system.settings, "review"))
    publisher.send(body, content_type=content_type)
    follower = 730_000 + len(POISON) * 10 + before
    publisher.send(submitted_event(follower))

    wait_for(lambda: items_for(system, follower, 1), message="the valid event behind it")
    letters = wait_for(lambda: (found := deadletters.peek(system.settings, "review"))
                       and len(found) > before and found, message="a dead letter")
    assert len(letters) == before + 1
    assert letters[-1].reason


def test_an_administrator_replays_a_dead_letter_once_it_can_be_handled(system, publisher):
    healthy = submitted_event(740_001)
    dlx = publisher.topology.dead_letters
    publisher.producer.publish(
        json.dumps(healthy), exchange=dlx,
        routing_key=publisher.topology.queue_name("review"), content_type="application/json",
        content_encoding="utf-8", headers={"x-dvk-dead-letter-reason": "database was down"})
    wait_for(lambda: any('"submission_id": 740001' in letter.body
                         for letter in deadletters.peek(system.settings, "review")),
             message="the letter in the dead-letter queue")

    assert deadletters.replay(system.settings, "review") >= 1

    wait_for(lambda: items_for(system, 740_001, 1), message="the replayed event handled")


def test_a_consumer_killed_mid_stream_loses_nothing_and_handles_each_event_once(system, publisher):
    first, count = 750_000, 200
    for offset in range(count):
        publisher.send(submitted_event(first + offset))
    wait_for(lambda: len(items_for(system, first, count)) >= 5, message="handling under way")

    system.stack.kill("review_consumer", signal.SIGKILL)
    handled_when_killed = len(items_for(system, first, count))
    system.stack.start("review_consumer")

    wait_for(lambda: len(items_for(system, first, count)) == count, timeout=60,
             message="every event after the restart")
    assert handled_when_killed < count
    assert set(items_for(system, first, count).values()) == {1}
    assert opened_audits(system, first, count) == count
