"""What the consumer does with each message it takes, on fakes of the broker's message, the
handling marks and the handler: ack, retry with a count, put back uncounted, or dead-letter."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from psycopg import errors as pg
from sqlalchemy import exc as sa

from shared import events
from shared.consumer import ATTEMPTS_HEADER, REASON_HEADER, EventConsumer
from shared.topology import Topology


def an_event(user_id: int) -> dict:
    """A valid event as it travels: someone signed out everywhere."""
    return events.encode(events.Event(
        type=events.SESSIONS_REVOKED, producer="intake", aggregate_id=str(user_id),
        aggregate_version=1, payload={"user_id": user_id, "epoch": 1,
                                      "reason": "sign_out_everywhere",
                                      "revoked_at": datetime.now(UTC)}))


def take(taker: EventConsumer, message: FakeMessage) -> None:
    """The consumer receives the message as kombu hands it over: decoded, and the message."""
    taker.on_message(message.payload, message)


@dataclass
class Published:
    body: object
    exchange: object
    routing_key: str
    headers: dict


@dataclass
class FakeBroker:
    published: list[Published] = field(default_factory=list)

    def Producer(self):  # noqa: N802 - kombu's name
        return FakeProducer(self)


@dataclass
class FakeProducer:
    broker: FakeBroker

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None

    def publish(self, body, exchange, routing_key, headers, **_options):
        name = getattr(exchange, "name", exchange)
        self.broker.published.append(Published(body, name, routing_key, headers))


class FakeMessage:
    def __init__(self, broker: FakeBroker, body: dict, headers: dict | None = None,
                 redelivered: bool = False):
        self.payload = body  # as kombu decodes it for the callback
        self.body = json.dumps(body)
        self.headers = headers or {}
        self.delivery_info = {"redelivered": redelivered}
        self.content_type, self.content_encoding = "application/json", "utf-8"
        self.channel = type("Channel", (), {"connection": type("C", (), {"client": broker})})()
        self.outcome = None

    def ack(self):
        self.outcome = "acked"

    def requeue(self):
        self.outcome = "requeued"


class FakeMarks:
    """Handling marks in memory: begun and never ended or cleared, a handling died."""

    def __init__(self, died: dict[str, int] | None = None):
        self.unfinished = dict(died or {})

    def begin(self, event_id):
        self.unfinished[event_id] = self.unfinished.get(event_id, 0) + 1
        return self.unfinished[event_id]

    def end(self, event_id):
        self.unfinished[event_id] -= 1

    def clear(self, event_id):
        self.unfinished.pop(event_id, None)


class FakeConnection:
    transport_cls = "memory"
    transport = type("Transport", (), {"driver_type": "memory"})()


def consumer(handle, marks=None) -> EventConsumer:
    return EventConsumer(FakeConnection(), Topology("dvk", delivery_limit=3), "review", handle,
                         max_attempts=3, marks=marks or FakeMarks())


def failing_with(error):
    def handle(_event):
        raise error
    return handle


@pytest.fixture
def broker():
    return FakeBroker()


def test_a_handled_event_is_acked_and_leaves_no_mark(broker):
    marks, seen = FakeMarks(), []
    message = FakeMessage(broker, an_event(1))
    take(consumer(seen.append, marks), message)
    assert message.outcome == "acked"
    assert len(seen) == 1 and marks.unfinished == {}
    assert broker.published == []


def test_a_handler_failure_puts_a_copy_back_counting_one_attempt(broker, monkeypatch):
    monkeypatch.setattr("shared.consumer.time.sleep", lambda _seconds: None)
    marks = FakeMarks()
    message = FakeMessage(broker, an_event(2))
    take(consumer(failing_with(KeyError("commune_code")), marks), message)
    assert message.outcome == "acked"
    [copy] = broker.published
    assert (copy.exchange, copy.routing_key) == ("", "dvk.review")
    assert copy.headers[ATTEMPTS_HEADER] == 1
    assert set(marks.unfinished.values()) == {0}  # the handling ended


def test_the_database_restarting_puts_the_message_back_uncounted_and_pauses(broker):
    marks = FakeMarks()
    message = FakeMessage(broker, an_event(3), headers={ATTEMPTS_HEADER: 2})
    restarting = sa.OperationalError("INSERT", {}, pg.AdminShutdown("terminating connection"))
    taker = consumer(failing_with(restarting), marks)
    take(taker, message)
    assert message.outcome == "requeued"
    assert broker.published == []  # neither retried nor dead-lettered, however close to spent
    assert set(marks.unfinished.values()) == {0}
    assert taker.paused and taker.should_stop

    following = FakeMessage(broker, an_event(4))
    take(taker, following)  # already fetched before the consumer let go
    assert following.outcome == "requeued"


def test_a_message_prefetched_by_a_consumer_that_died_is_handled_uncounted(broker):
    seen = []
    message = FakeMessage(broker, an_event(5), redelivered=True)  # no mark: never begun
    take(consumer(seen.append), message)
    assert message.outcome == "acked" and len(seen) == 1


def test_an_event_whose_handling_killed_the_consumer_each_time_is_dead_lettered(broker):
    event = an_event(6)
    seen = []
    message = FakeMessage(broker, event, redelivered=True)
    take(consumer(seen.append, FakeMarks(died={event["event_id"]: 3})), message)
    assert seen == []
    [letter] = broker.published
    assert letter.exchange == "dvk.dlx"
    assert "stopped its consumer 3 times" in letter.headers[REASON_HEADER]
    assert message.outcome == "acked"


def test_deaths_and_failures_add_up_to_the_attempts_a_message_has(broker):
    event = an_event(7)
    message = FakeMessage(broker, event, headers={ATTEMPTS_HEADER: 1}, redelivered=True)
    take(consumer(failing_with(KeyError("x")), FakeMarks(died={event["event_id"]: 1})), message)
    [letter] = broker.published
    assert letter.exchange == "dvk.dlx"  # one failure, one death, and this failure: three
