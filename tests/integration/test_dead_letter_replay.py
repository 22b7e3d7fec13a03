"""An administrator replays the dead-letter queue while a consumer keeps failing on the poison
letters and sending them straight back: the replay moves each letter once and stops, and the
letters sent back wait for the next replay."""

from __future__ import annotations

import collections
import json
import threading
import uuid

import pytest
from kombu import Consumer

from shared import broker, deadletters
from shared.consumer import REASON_HEADER
from shared.settings import from_env
from shared.topology import is_amqp
from tests.conftest import require_engines
from tests.support.engines import broker_in_use
from tests.support.stack import wait_for

LETTERS = 20


@pytest.fixture
def settings(tmp_path):
    require_engines("real")
    with broker_in_use():
        settings = from_env({"DVK_DATA_DIR": str(tmp_path), "DVK_MAX_ATTEMPTS": "3",
                             "BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//",
                             "DVK_NAMESPACE": f"dvk-test-{uuid.uuid4().hex[:8]}"})
        yield settings
        with broker.connect(settings) as connection, connection.channel() as channel:
            topology = broker.topology(settings)
            for name in (topology.queue_name("review"),
                         topology.dead_letter_queue("review", True).name):
                channel.queue_delete(name)
            for exchange in (topology.events, topology.dead_letters):
                channel.exchange_delete(exchange.name)


def dead_letter(settings, count: int) -> list[str]:
    """Put ``count`` poison letters on review's dead-letter queue, as its consumer would."""
    topology = broker.topology(settings)
    ids = [str(uuid.uuid4()) for _ in range(count)]
    with broker.connect(settings) as connection:
        topology.declare(connection, "review")
        with connection.Producer() as producer:
            for letter_id in ids:
                producer.publish(json.dumps({"poison": letter_id}), exchange=topology.dead_letters,
                                 routing_key=topology.queue_name("review"),
                                 content_type="application/json",
                                 headers={REASON_HEADER: "failed 3 times"}, delivery_mode=2)
    return ids


class Bouncer(threading.Thread):
    """A consumer of review's queue failing on every letter at once and dead-lettering it again."""

    def __init__(self, settings):
        super().__init__(daemon=True)
        self.settings, self.topology = settings, broker.topology(settings)
        self.seen: collections.Counter[str] = collections.Counter()
        self.ready, self.stopped = threading.Event(), threading.Event()

    def run(self) -> None:
        with broker.connect(self.settings) as connection:
            queue = self.topology.queue("review", is_amqp(connection))
            with connection.Producer() as producer, Consumer(
                    connection, queues=[queue], callbacks=[self.bounce(producer)],
                    accept=["json"], auto_declare=False):
                self.ready.set()
                while not self.stopped.is_set():
                    try:
                        connection.drain_events(timeout=0.2)
                    except TimeoutError:
                        continue

    def bounce(self, producer):
        def send_back(body, message):
            self.seen[body["poison"]] += 1
            producer.publish(message.body, exchange=self.topology.dead_letters,
                             routing_key=self.topology.queue_name("review"),
                             content_type=message.content_type,
                             headers={REASON_HEADER: "failed again"}, delivery_mode=2)
            message.ack()
        return send_back


def test_a_replay_moves_each_letter_once_while_a_consumer_keeps_sending_them_back(settings):
    ids = dead_letter(settings, LETTERS)
    bouncer = Bouncer(settings)
    bouncer.start()
    assert bouncer.ready.wait(10)
    try:
        assert deadletters.replay(settings, "review") == LETTERS
        wait_for(lambda: sum(bouncer.seen.values()) >= LETTERS, message="every letter bounced")
    finally:
        bouncer.stopped.set()
        bouncer.join(timeout=10)
    assert set(bouncer.seen) <= set(ids)
    assert all(times == 1 for times in bouncer.seen.values())
    # What came back waits on the dead-letter queue, each letter once, for the next replay.
    letters = deadletters.peek(settings, "review", limit=LETTERS * 2)
    assert sorted(json.loads(letter.body)["poison"] for letter in letters) == sorted(ids)
    assert {letter.reason for letter in letters} == {"failed again"}
