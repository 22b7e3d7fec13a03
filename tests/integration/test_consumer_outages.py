"""Consumers through ordinary outages: a database restart, a consumer that keeps dying, SIGTERM
from the supervisor, and an upgrade over queues made by an earlier release. Each time, every
event has its one effect and nothing healthy reaches the dead-letter queue."""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from kombu import Queue
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy.exc import DBAPIError

from shared import broker, deadletters
from shared.settings import from_env
from tests.conftest import require_engines
from tests.integration.system import Publisher, review_rows, submitted_event
from tests.support.dying_consumer import POISON_TITLE
from tests.support.engines import broker_in_use
from tests.support.stack import ROOT, wait_for


@pytest.fixture
def publisher(system):
    sender = Publisher(system.settings)
    yield sender
    sender.close()


def handled(system, first: int, count: int) -> dict[int, int]:
    """Review items opened per submission in the range (a database away reads as nothing yet)."""
    try:
        return dict(review_rows(
            system, "SELECT submission_id, COUNT(*) FROM review_items "
                    "WHERE submission_id BETWEEN :first AND :last GROUP BY submission_id",
            first=first, last=first + count - 1))
    except DBAPIError:
        return {}


def opened_audits(system, first: int, count: int) -> int:
    return review_rows(
        system, "SELECT COUNT(*) FROM audit_log a JOIN review_items i ON a.item_id = i.id "
                "WHERE a.action = 'opened' AND i.submission_id BETWEEN :first AND :last",
        first=first, last=first + count - 1)[0][0]


def inbox_size(system) -> int:
    return review_rows(system, "SELECT COUNT(*) FROM inbox")[0][0]


def dead_lettered(system, first: int, count: int) -> list[int]:
    """The submissions of the range whose events are in review's dead-letter queue."""
    found = []
    for letter in deadletters.peek(system.settings, "review", limit=1000):
        with contextlib.suppress(ValueError, KeyError, TypeError):
            submission = json.loads(letter.body)["payload"]["submission_id"]
            if first <= submission < first + count:
                found.append(submission)
    return found


def assert_each_handled_once(system, first: int, count: int) -> None:
    assert handled(system, first, count) == {first + n: 1 for n in range(count)}
    assert opened_audits(system, first, count) == count


def publish(publisher, first: int, count: int, **payload) -> None:
    for offset in range(count):
        publisher.send(submitted_event(first + offset, **payload))


class Supervisor:
    """Starts a process again whenever it exits, as systemd's ``Restart=always`` does."""

    def __init__(self, module: str, env: dict[str, str], log_dir: Path):
        self.command = [sys.executable, "-m", module]
        self.env, self.log_dir = env, log_dir
        self.exit_codes: list[int] = []
        self.current: subprocess.Popen | None = None
        self.stopping = False
        self.thread = threading.Thread(target=self._keep_running, daemon=True)

    def __enter__(self) -> Supervisor:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping = True
        with contextlib.suppress(ProcessLookupError, AttributeError):
            self.current.send_signal(signal.SIGTERM)
        self.thread.join(timeout=30)

    def _keep_running(self) -> None:
        while not self.stopping:
            with open(self.log_dir / f"dying-consumer-{len(self.exit_codes)}.log", "w") as log:
                self.current = subprocess.Popen(self.command, cwd=ROOT, env=self.env,
                                                stdout=log, stderr=subprocess.STDOUT)
            self.exit_codes.append(self.current.wait())


def metric(directory: Path, name: str, **labels: str) -> float:
    """A counter's value added up over every process that wrote to the metrics directory."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(directory))
    return registry.get_sample_value(name, labels) or 0.0


def test_consumers_that_die_on_two_events_again_and_again_dead_letter_those_events_only(
        system, publisher, tmp_path):
    # Two events that each end their consumer's process: its prefetched neighbours go back to
    # the queue at every death, more often than the attempts any one message is allowed.
    first, count, poisons = 800_000, 200, [800_998, 800_999]
    max_attempts = system.settings.max_attempts
    system.stack.kill("review_consumer", signal.SIGTERM)
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    env = {**system.stack.env, "PROMETHEUS_MULTIPROC_DIR": str(metrics)}
    inbox_before = inbox_size(system)
    try:
        publish(publisher, first, count // 2)
        for poison in poisons:
            publisher.send(submitted_event(poison, title=POISON_TITLE))
        publish(publisher, first + count // 2, count // 2)
        with Supervisor("tests.support.dying_consumer", env, tmp_path) as supervisor:
            wait_for(lambda: (len(handled(system, first, count)) == count
                              and len(dead_lettered(system, poisons[0], 2)) == 2)
                     or dead_lettered(system, first, count), timeout=240,
                     message="every healthy event handled and both poisons dead-lettered")
        taken_in = inbox_size(system) - inbox_before
    finally:
        system.stack.start("review_consumer")

    assert supervisor.exit_codes.count(70) == 2 * max_attempts  # each poison, each time
    assert_each_handled_once(system, first, count)
    assert dead_lettered(system, first, count) == []  # not one healthy event
    assert sorted(dead_lettered(system, poisons[0], 2)) == poisons
    assert not handled(system, poisons[0], 2)
    assert metric(metrics, "dvk_dead_lettered_total", service="review") == 2
    # Handled: every event the supervised consumers took into the inbox, ours and the relays'.
    assert metric(metrics, "dvk_events_handled_total", service="review",
                  outcome="handled") == taken_in
    assert metric(metrics, "dvk_redeliveries_total", service="review") >= 2 * max_attempts


def test_sigterm_mid_stream_finishes_the_event_in_hand_and_a_restart_handles_the_rest_once(
        system, publisher):
    first, count = 810_000, 400
    publish(publisher, first, count)
    wait_for(lambda: len(handled(system, first, count)) >= 20, timeout=60,
             message="handling under way")

    consumer = system.stack.processes["review_consumer"]
    asked = time.monotonic()
    system.stack.kill("review_consumer", signal.SIGTERM)  # a SIGKILL after 15 s would show as -9
    took = time.monotonic() - asked
    handled_when_stopped = len(handled(system, first, count))
    print(f"\nSIGTERM: the consumer exited {took:.2f}s after it was asked, code "
          f"{consumer.returncode}, {handled_when_stopped} of {count} events handled")
    system.stack.start("review_consumer")

    wait_for(lambda: len(handled(system, first, count)) == count, timeout=120,
             message="every event after the restart")
    assert consumer.returncode == 0
    assert took < 5, f"the consumer took {took:.1f}s to stop"
    assert handled_when_stopped < count
    assert_each_handled_once(system, first, count)
    assert dead_lettered(system, first, count) == []


def postgres(action: str, check: bool = True) -> None:
    """``pg_ctlcluster`` on the machine's cluster (it waits until the server accepts connections)."""
    version = next(Path("/etc/postgresql").iterdir()).name
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
                   check=check, capture_output=True)


def started_at(system) -> datetime | None:
    """When the PostgreSQL server started (None while the test's own connections reconnect)."""
    try:
        return review_rows(system, "SELECT pg_postmaster_start_time()")[0][0]
    except DBAPIError:
        return None


def first_handled_since(system, moment: datetime) -> datetime:
    return review_rows(system, "SELECT MIN(received_at) FROM inbox WHERE received_at > :moment",
                       moment=moment)[0][0]


@pytest.mark.parametrize("down_for", [pytest.param(0, id="restart"),
                                      pytest.param(8, id="stopped-for-8s")])
def test_postgresql_going_away_while_events_flow_dead_letters_nothing(system, publisher, down_for):
    if system.kind == "embedded":
        pytest.skip("the embedded defaults run on SQLite files: there is no server to restart")
    first, count = 820_000 + 1000 * down_for, 600
    with broker_in_use(exclusive=True):  # no other test process is using the engines meanwhile
        publish(publisher, first, count)
        wait_for(lambda: len(handled(system, first, count)) >= 20, timeout=60,
                 message="handling under way")
        handled_before = len(handled(system, first, count))
        try:
            if down_for:
                postgres("stop")
                time.sleep(down_for)
            else:
                postgres("restart")
        finally:
            postgres("start", check=bool(down_for))  # brings it back whatever happened
    back = wait_for(lambda: started_at(system), message="PostgreSQL answering the test")

    wait_for(lambda: len(handled(system, first, count)) == count, timeout=120,
             message="every event after the restart")
    for client, name in ((system.intake, "intake"), (system.review, "review")):
        client.application.extensions[name].engine.dispose()  # its connections died with it
    recovery = (first_handled_since(system, back) - back).total_seconds()
    print(f"\nrecovery ({down_for}s down): the first event handled {recovery:.2f}s "
          "after PostgreSQL started")
    assert handled_before < count
    assert_each_handled_once(system, first, count)
    assert dead_lettered(system, first, count) == []


def test_an_upgrade_uses_a_work_queue_made_by_an_earlier_release_as_it_is(tmp_path, caplog):
    require_engines("real")
    settings = from_env({"DVK_DATA_DIR": str(tmp_path), "DVK_MAX_ATTEMPTS": "5",
                         "BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//",
                         "DVK_NAMESPACE": f"dvk-test-{uuid.uuid4().hex[:8]}"})
    topology = broker.topology(settings)
    name = topology.queue_name("review")
    earlier = Queue(name, durable=True, queue_arguments={
        "x-queue-type": "quorum", "x-delivery-limit": 5,
        "x-dead-letter-exchange": topology.dead_letters.name, "x-dead-letter-routing-key": name})
    with broker_in_use(), broker.connect(settings) as connection:
        try:
            with connection.channel() as channel:
                earlier.bind(channel).declare()
            with caplog.at_level(logging.WARNING, logger="shared.topology"):
                topology.declare(connection, "review")  # refused as it is, accepted as it was
            producer = connection.Producer()
            producer.publish(submitted_event(830_001), exchange=topology.events,
                             routing_key="intake.submission.submitted", delivery_mode=2)
            with connection.channel() as channel:
                waiting = wait_for(lambda: earlier.bind(channel).queue_declare(passive=True)
                                   .message_count, message="the event in the earlier queue")
        finally:
            with connection.channel() as channel:
                for queue in (earlier, topology.dead_letter_queue("review", quorum=True)):
                    queue.bind(channel).delete()
                topology.events.bind(channel).delete()
                topology.dead_letters.bind(channel).delete()
    assert waiting == 1
    assert "recreate it once" in caplog.text
