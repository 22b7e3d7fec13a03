"""The relay never loses an event: not when no queue is bound for it, not when it is stopped
mid-stream."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest
from sqlalchemy import func, insert, select

from intake_service import tables
from shared import broker, clock, jobs
from shared.topology import is_amqp
from tests.integration.system import review_rows, submitted_event
from tests.support.stack import wait_for


def intake_engine(system):
    return system.intake.application.extensions["intake"].engine


def unpublished(system, event_ids: list[str]) -> int:
    with intake_engine(system).connect() as db:
        return db.scalar(select(func.count()).select_from(tables.outbox).where(
            tables.outbox.c.event_id.in_(event_ids), tables.outbox.c.published_at.is_(None)))


def event_ids_of(system, submission_ids: list[int]) -> list[str]:
    with intake_engine(system).connect() as db:
        bodies = db.scalars(select(tables.outbox.c.body).where(
            tables.outbox.c.routing_key == "intake.submission.submitted"))
        wanted = set(submission_ids)
        return [event["event_id"] for event in map(json.loads, bodies)
                if event["payload"]["submission_id"] in wanted]


def opened(system, submission_ids: list[int]) -> dict[int, int]:
    listed = ",".join(map(str, submission_ids))
    return dict(review_rows(
        system,
        "SELECT i.submission_id, COUNT(*) FROM audit_log a JOIN review_items i ON a.item_id = i.id "
        f"WHERE a.action = 'opened' AND i.submission_id IN ({listed}) GROUP BY i.submission_id"))


def relay_log(system, name: str) -> str:
    return "".join(path.read_text() for path in system.stack.log_dir.glob(f"{name}-*.log"))


def unbind_review_queue(system) -> None:
    """Remove the review queue's binding to intake's events, as a mistaken operator might."""
    topology = broker.topology(system.settings)
    with broker.connect(system.settings) as connection:
        if is_amqp(connection):
            with connection.channel() as channel:
                for key in ("intake.#",):
                    channel.queue_unbind(topology.queue_name("review"), topology.events.name, key)
            return
    # kombu's Redis transport keeps bindings in a Redis set, and its queue_unbind leaves that set
    # as it is: the binding is removed from the set itself.
    redis = jobs.connect(system.settings)
    try:
        for table in ("_kombu.binding.%s", "_kombu.binding_permanent.%s"):
            key = table % topology.events.name
            for member in redis.smembers(key):
                if member.decode().endswith(topology.queue_name("review")):
                    redis.srem(key, member)
    finally:
        redis.close()


def bind_review_queue(system) -> None:
    """Bind the queue again, as a restarted consumer does when it declares its topology."""
    with broker.connect(system.settings) as connection:
        broker.topology(system.settings).declare(connection, "review")


def relay_metric(directory, name: str, service: str = "intake") -> float:
    """A relay's sample as the web's /metrics adds them up from every process's files."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(directory))
    return registry.get_sample_value(name, {"service": service}) or 0.0


@pytest.fixture
def counted_relay(system, tmp_path):
    """Intake's relay restarted writing its metrics to a folder of its own, which is yielded."""
    directory = tmp_path / "metrics"
    directory.mkdir()
    system.stack.kill("intake_relay", signal.SIGTERM)
    system.stack.env["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    try:
        system.stack.start("intake_relay")
    finally:
        del system.stack.env["PROMETHEUS_MULTIPROC_DIR"]
    yield directory
    system.stack.kill("intake_relay", signal.SIGTERM)
    system.stack.start("intake_relay")


def test_events_no_queue_is_bound_for_stay_unpublished_and_arrive_once_the_binding_is_back(
        system, counted_relay):
    warm_up = system.register("donvi", title="Mô hình trước khi gỡ ràng buộc")
    system.wait_submission(warm_up, "in_review", stage="commune", timeout=60)
    published_before = relay_metric(counted_relay, "dvk_relay_published_total")
    unbind_review_queue(system)
    try:
        ids = [system.register("donvi", title=f"Mô hình khi hàng đợi mất ràng buộc số {n}")
               for n in range(10)]
        event_ids = event_ids_of(system, ids)
        assert len(event_ids) == len(ids)
        wait_for(lambda: "no queue is bound for routing key intake.submission.submitted"
                 in relay_log(system, "intake_relay"), timeout=30,
                 message="the relay's warning naming the routing key")
        time.sleep(1)  # a further retry or two, which must not mark them sent either
        assert unpublished(system, event_ids) == len(ids)
        assert not opened(system, ids)
        # Rows written after the relay's first try are tried at its next retry (backoff).
        wait_for(lambda: relay_metric(counted_relay, "dvk_relay_unroutable_total") >= len(ids),
                 timeout=30, message="every event counted as returned")
        assert unpublished(system, event_ids) == len(ids)
        assert relay_metric(counted_relay, "dvk_relay_published_total") == published_before
    finally:
        bind_review_queue(system)

    for submission_id in ids:
        system.wait_submission(submission_id, "in_review", stage="commune", timeout=90)
    assert opened(system, ids) == {i: 1 for i in ids}
    assert unpublished(system, event_ids) == 0
    assert relay_metric(counted_relay, "dvk_relay_published_total") >= published_before + len(ids)
    assert relay_metric(counted_relay, "dvk_relay_batch_seconds_count") > 0


def test_a_relay_stopped_mid_stream_finishes_its_batch_exits_cleanly_and_loses_nothing(system):
    first, count = 800_000, 2000
    events = [submitted_event(first + n) for n in range(count)]
    with intake_engine(system).begin() as db:
        db.execute(insert(tables.outbox), [
            {"event_id": e["event_id"], "routing_key": e["type"], "body": json.dumps(e),
             "created_at": clock.now()} for e in events])
    event_ids = [e["event_id"] for e in events]
    wait_for(lambda: unpublished(system, event_ids) <= count - 200, timeout=60,
             message="the relay under way")

    relay: subprocess.Popen = system.stack.processes.pop("intake_relay")
    stopped_at = time.monotonic()
    os.killpg(relay.pid, signal.SIGTERM)
    exit_code = relay.wait(timeout=5)
    assert time.monotonic() - stopped_at < 5
    assert exit_code == 0
    left = unpublished(system, event_ids)
    assert 0 < left < count  # stopped mid-stream

    # What the stopped relay marked sent had really gone: it all arrives with no relay running.
    marked = count - left
    wait_for(lambda: _items(system, first, count) >= marked, timeout=90,
             message="every event the stopped relay marked sent")
    time.sleep(0.5)
    assert _items(system, first, count) == marked

    system.stack.start("intake_relay")
    wait_for(lambda: _items(system, first, count) == count, timeout=120,
             message="every event once the relay is back")
    assert opened(system, list(range(first, first + count))) == {
        first + n: 1 for n in range(count)}


def _items(system, first: int, count: int) -> int:
    return review_rows(system, "SELECT COUNT(*) FROM review_items WHERE submission_id "
                               "BETWEEN :first AND :last", first=first, last=first + count - 1)[0][0]
