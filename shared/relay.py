"""The outbox relay: publishes unpublished outbox rows with confirms, then marks them sent.

Rows are chosen by "not yet published", never by "id greater than the last
seen": sequence values become visible out of order, and a high-water mark
would skip rows. On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets several relays
share one outbox. If the broker is away the transaction rolls back, the rows
stay unpublished and the relay retries with backoff; a duplicate publish after
a crash is absorbed by the consumers' inbox.

A confirm only says the broker took the message, not that a queue did: a message
no binding matches is confirmed and dropped. So the relay publishes ``mandatory``;
RabbitMQ then returns an unroutable message (``basic.return``, before its confirm),
and its row stays unpublished. kombu's Redis transport knows no ``mandatory`` and
silently drops what no binding matches, so there the relay looks in the transport's
binding table (kept in Redis, shared by every process) before publishing; a binding
removed between that look and the publish is the one case it cannot see. Either way
the routing key is parked, logged and counted, and its rows are retried with backoff
while the other keys flow.

On SIGTERM the relay finishes the batch in hand (published and marked, or rolled back)
and stops: waits between batches end at once.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from kombu import Connection
from prometheus_client import Counter, Histogram
from sqlalchemy import Table, select, update
from sqlalchemy.engine import Engine

from shared import clock
from shared.db import is_postgres
from shared.topology import SUBSCRIPTIONS, Topology, is_amqp

log = logging.getLogger(__name__)

PUBLISHED = Counter("dvk_relay_published", "Outbox events published, confirmed and marked sent",
                    ["service"])
UNROUTABLE = Counter("dvk_relay_unroutable",
                     "Publishes no queue was bound for; their rows stay unpublished and are retried",
                     ["service"])
BATCH_SECONDS = Histogram("dvk_relay_batch_seconds",
                          "Time to publish and mark one batch of outbox rows", ["service"])

FIRST_RETRY, LAST_RETRY = 1.0, 60.0  # seconds before an unroutable key is tried again


@dataclass
class Parked:
    """A routing key no queue was bound for, and when to try its rows again."""

    delay: float
    until: float


class Relay:
    def __init__(self, engine: Engine, outbox: Table, connect, topology: Topology, batch: int,
                 service: str = "unknown"):
        self.engine = engine
        self.outbox = outbox
        self.connect = connect
        self.topology = topology
        self.batch = batch
        self.service = service
        self.stopped = threading.Event()
        self.parked: dict[str, Parked] = {}
        self._connection: Connection | None = None
        self._producer_for = None
        self._returned: set[str] = set()

    def stop(self) -> None:
        """Stop after the batch in hand; safe to call from a signal handler."""
        self.stopped.set()

    def _producer(self):
        if self._connection is None:
            connection = self.connect()
            connection.ensure_connection(max_retries=1)
            for service in SUBSCRIPTIONS:
                self.topology.declare(connection, service)
            self._connection = connection
            # Only AMQP channels carry basic.return; the Redis transport is asked before publishing.
            on_return = self._on_return if is_amqp(connection) else None
            self._producer_for = connection.Producer(on_return=on_return)
        return self._producer_for

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # noqa: BLE001 - the link is already broken
                log.debug("closing a broken broker connection failed", exc_info=True)
        self._connection = None
        self._producer_for = None

    def _on_return(self, _exception, _exchange, _routing_key, message) -> None:
        self._returned.add(message.properties.get("message_id"))

    def _pending(self):
        query = select(self.outbox.c.id, self.outbox.c.event_id, self.outbox.c.routing_key,
                       self.outbox.c.body).where(self.outbox.c.published_at.is_(None))
        now = time.monotonic()
        waiting = [key for key, parked in self.parked.items() if parked.until > now]
        if waiting:
            query = query.where(self.outbox.c.routing_key.not_in(waiting))
        query = query.order_by(self.outbox.c.id).limit(self.batch)
        return query.with_for_update(skip_locked=True) if is_postgres(self.engine) else query

    def publish_batch(self) -> int:
        """Publish one batch of unpublished rows; return how many were sent (and marked)."""
        started = time.perf_counter()
        with self.engine.begin() as db:
            rows = db.execute(self._pending()).all()
            if not rows:
                return 0
            self._returned = set()
            self._publish(self._producer(), rows)
            sent = [row.id for row in rows if row.event_id not in self._returned]
            if sent:
                db.execute(update(self.outbox).where(self.outbox.c.id.in_(sent))
                           .values(published_at=clock.now()))
        BATCH_SECONDS.labels(self.service).observe(time.perf_counter() - started)
        PUBLISHED.labels(self.service).inc(len(sent))
        self._note_routes(rows)
        return len(sent)

    def _publish(self, producer, rows) -> None:
        routable: dict[str, bool] = {}
        for row in rows:
            if row.routing_key not in routable:
                routable[row.routing_key] = self._bound(row.routing_key)
            if not routable[row.routing_key]:
                self._returned.add(row.event_id)
                continue
            producer.publish(
                row.body,
                exchange=self.topology.events,
                routing_key=row.routing_key,
                content_type="application/json",
                content_encoding="utf-8",
                delivery_mode=2,
                message_id=row.event_id,
                mandatory=True,
                retry=False,
            )

    def _bound(self, routing_key: str) -> bool:
        """Whether a queue is bound for the key; RabbitMQ answers by returning the message instead."""
        if is_amqp(self._connection):
            return True
        channel, exchange = self._connection.default_channel, self.topology.events.name
        return bool(channel.typeof(exchange).lookup(channel.get_table(exchange), exchange,
                                                    routing_key, None))

    def _note_routes(self, rows) -> None:
        """Park the keys whose rows came back (with a longer wait each time); free those that went."""
        returned = {row.routing_key for row in rows if row.event_id in self._returned}
        for key in {row.routing_key for row in rows} - returned:
            if self.parked.pop(key, None) is not None:
                log.info("routing key %s is routed again; its events flow", key)
        for key in returned:
            count = sum(1 for row in rows if row.routing_key == key and row.event_id in self._returned)
            UNROUTABLE.labels(self.service).inc(count)
            previous = self.parked.get(key)
            delay = FIRST_RETRY if previous is None else min(previous.delay * 2, LAST_RETRY)
            self.parked[key] = Parked(delay, time.monotonic() + delay)
            log.warning("no queue is bound for routing key %s on %s: %d events kept unpublished, "
                        "retrying in %.0fs", key, self.topology.events.name, count, delay)

    def run(self, idle_seconds: float, stop=lambda: False) -> None:
        """Relay until stopped (``stop()`` or SIGTERM via ``self.stop``), backing off while the
        broker is away; the connection is closed on the way out."""
        backoff = 0.5
        try:
            while not (self.stopped.is_set() or stop()):
                try:
                    sent = self.publish_batch()
                    backoff = 0.5
                except Exception:  # noqa: BLE001 - broker or database away: roll back, wait, retry
                    log.warning("relay failed; retrying in %.1fs", backoff, exc_info=True)
                    self._drop_connection()
                    self.stopped.wait(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                if sent < self.batch:
                    self._keep_alive()
                    self.stopped.wait(idle_seconds)
        finally:
            self._drop_connection()
        log.info("relay stopped")

    def _keep_alive(self) -> None:
        """Answer AMQP heartbeats while idle, so the broker does not drop a quiet relay."""
        if self._connection is None:
            return
        try:
            self._connection.heartbeat_check()
        except Exception:  # noqa: BLE001 - reconnect on the next batch
            log.info("broker link lost while idle; will reconnect", exc_info=True)
            self._drop_connection()
