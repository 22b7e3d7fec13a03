"""Two relays and two consumers per service race on one database and one broker: every event is
published once and handled once, as if one of each were running."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from amqp.exceptions import NotFound
from kombu import Queue
from sqlalchemy import text

from shared import broker
from shared.settings import from_env
from tests.conftest import require_engines
from tests.integration.system import PIPELINE, System, stop_system
from tests.support.engines import broker_in_use, environment, prepare
from tests.support.stack import Stack, wait_for

SUBMISSIONS = 300


@pytest.fixture
def racing(tmp_path):
    """The pipeline on PostgreSQL and RabbitMQ with every relay and consumer started twice, and a
    tap queue that keeps a copy of every event the relays publish."""
    require_engines("real")
    with broker_in_use():
        env = environment("real", tmp_path / "data") | {"DVK_RELAY_BATCH": "5"}  # many small races
        prepare(env)
        (tmp_path / "logs").mkdir()
        system = System(kind="real", env=env, settings=from_env(env), stack=Stack(env, tmp_path / "logs"))
        tap = _declare_tap(system)
        for name in PIPELINE:
            system.stack.start(name)
            system.stack.start(name, as_name=f"{name}_2")
        try:
            yield system, tap
        finally:
            stop_system(system)
            _delete(system, tap)


def _declare_tap(system: System) -> Queue:
    topology = broker.topology(system.settings)
    tap = Queue(f"{system.settings.namespace}.tap", exchange=topology.events, routing_key="#",
                durable=True)
    with broker.connect(system.settings) as connection, connection.channel() as channel:
        topology.events.bind(channel).declare()
        tap.bind(channel).declare()
    return tap


def _published(system: System, tap: Queue) -> Counter:
    """How many times each event id went through the events exchange."""
    seen: Counter = Counter()
    with broker.connect(system.settings) as connection, connection.channel() as channel:
        bound = tap.bind(channel)
        while (message := bound.get(no_ack=True)) is not None:
            seen[json.loads(message.body)["event_id"]] += 1
    return seen


def _delete(system: System, tap: Queue) -> None:
    with broker.connect(system.settings) as connection, connection.channel() as channel:
        tap.bind(channel).delete()


def _consumers(system: System, service: str) -> int:
    """How many consumers the service's queue has, as the broker counts them (0 before it exists)."""
    topology = broker.topology(system.settings)
    with broker.connect(system.settings) as connection, connection.channel() as channel:
        try:
            return channel.queue_declare(topology.queue_name(service), passive=True).consumer_count
        except NotFound:
            return 0


def _rows(system: System, service: str, sql: str, **params) -> list:
    engine = getattr(system, service).application.extensions[service].engine
    with engine.connect() as db:
        return list(db.execute(text(sql), params))


def _event_ids(system: System, service: str, table: str) -> set[str]:
    return {row[0] for row in _rows(system, service, f"SELECT event_id FROM {table}")}


def test_racing_relays_and_consumers_publish_and_handle_every_event_once(racing):
    system, tap = racing
    for service in ("intake", "review"):
        wait_for(lambda s=service: _consumers(system, s) == 2, timeout=60,
                 message=f"two consumers on {service}'s queue")
    ids = [system.register("donvi", title=f"Mô hình dân vận khéo số {n}") for n in range(SUBMISSIONS)]

    def settled() -> bool:
        in_review = _rows(system, "intake", "SELECT COUNT(*) FROM submissions "
                                            "WHERE id = ANY(:ids) AND status = 'in_review'", ids=ids)
        unpublished = [_rows(system, service, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")
                       for service in ("intake", "review")]
        return in_review[0][0] == SUBMISSIONS and unpublished == [[(0,)], [(0,)]]

    wait_for(settled, timeout=240, every=0.5, message="every submission in review, both outboxes sent")

    per_submission = dict(_rows(system, "review", "SELECT submission_id, COUNT(*) FROM review_items "
                                                  "WHERE submission_id = ANY(:ids) GROUP BY submission_id",
                                ids=ids))
    assert per_submission == {i: 1 for i in ids}
    opened = dict(_rows(system, "review",
                        "SELECT i.submission_id, COUNT(*) FROM audit_log a "
                        "JOIN review_items i ON a.item_id = i.id "
                        "WHERE a.action = 'opened' AND i.submission_id = ANY(:ids) GROUP BY i.submission_id",
                        ids=ids))
    assert opened == {i: 1 for i in ids}
    # Each service's inbox holds exactly the events the other's outbox announced: none missed.
    intake_events = _event_ids(system, "intake", "outbox")
    review_events = _event_ids(system, "review", "outbox")
    wait_for(lambda: _event_ids(system, "review", "inbox") >= intake_events, timeout=60,
             message="review handled every intake event")
    wait_for(lambda: _event_ids(system, "intake", "inbox") >= review_events, timeout=60,
             message="intake handled every review event")
    assert _event_ids(system, "review", "inbox") == intake_events
    assert _event_ids(system, "intake", "inbox") == review_events
    # And the racing relays published each of them exactly once.
    published = _published(system, tap)
    assert set(published) == intake_events | review_events
    assert set(published.values()) == {1}
