"""The outbox relay: publishes unpublished outbox rows with confirms, then marks them sent.

Rows are chosen by "not yet published", never by "id greater than the last
seen": sequence values become visible out of order, and a high-water mark
would skip rows. No database transaction ever waits on the broker: a batch is
claimed in a short transaction of its own (``claimed_until``, a lease; on
PostgreSQL the candidates are picked ``FOR UPDATE SKIP LOCKED`` so several relays
share one outbox), published with no transaction open, and marked sent in a
second short one. A relay that dies or loses the broker mid-batch leaves its rows
claimed until the lease ends (or frees them at once if the database answers); a
duplicate publish is absorbed by the consumers' inbox.

Every wait on the broker is bounded (``shared.broker.silence_limit``: two heartbeats):
confirms, socket reads and writes, the handshake; heartbeats are checked between
publishes as well as while idle. A dead link is logged, the connection dropped, and the
relay reconnects with backoff and resumes.

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
from datetime import timedelta

from kombu import Connection
from kombu.exceptions import OperationalError
from prometheus_client import Counter, Histogram
from sqlalchemy import Table, or_, select, update
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
HEARTBEAT_CHECK_EVERY = 1.0  # seconds between heartbeat checks while publishing


@dataclass
class Parked:
    """A routing key no queue was bound for, and when to try its rows again."""

    delay: float
    until: float


class Relay:
    def __init__(self, engine: Engine, outbox: Table, connect, topology: Topology, batch: int,
                 service: str = "unknown", lease_seconds: float = 120.0,
                 wait_limit: float = 60.0):
        self.engine = engine
        self.lease = timedelta(seconds=lease_seconds)
        self.wait_limit = wait_limit  # the longest wait for a confirm
        self._checked_at = 0.0
        self._link_lost = False
        self._link_errors: tuple[type[BaseException], ...] = (OSError,)
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
            self._link_errors = (OSError, OperationalError, *connection.connection_errors)
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

    def _claim(self):
        """Claim a batch of unpublished rows no live relay holds, in a transaction of its own."""
        now = clock.now()
        table = self.outbox
        free = select(table.c.id).where(
            table.c.published_at.is_(None),
            or_(table.c.claimed_until.is_(None), table.c.claimed_until < now))
        waiting = [key for key, parked in self.parked.items() if parked.until > time.monotonic()]
        if waiting:
            free = free.where(table.c.routing_key.not_in(waiting))
        free = free.order_by(table.c.id).limit(self.batch)
        if is_postgres(self.engine):
            free = free.with_for_update(skip_locked=True)
        claim = (update(table).where(table.c.id.in_(free.scalar_subquery()))
                 .values(claimed_until=now + self.lease)
                 .returning(table.c.id, table.c.event_id, table.c.routing_key, table.c.body))
        with self.engine.begin() as db:
            return sorted(db.execute(claim).all(), key=lambda row: row.id)

    def _mark(self, sent: list[int], returned: list[int]) -> None:
        """Mark the published rows sent and free the returned ones, in a second transaction."""
        table = self.outbox
        with self.engine.begin() as db:
            if sent:
                db.execute(update(table).where(table.c.id.in_(sent))
                           .values(published_at=clock.now(), claimed_until=None))
            if returned:
                db.execute(update(table).where(table.c.id.in_(returned))
                           .values(claimed_until=None))

    def _free(self, rows) -> None:
        """Give a failed batch's rows back at once if the database answers (else the lease ends)."""
        try:
            self._mark([], [row.id for row in rows])
        except Exception:  # noqa: BLE001 - the database is away too: the lease frees them
            log.warning("could not free %d claimed outbox rows; they are free again in %.0fs",
                        len(rows), self.lease.total_seconds(), exc_info=True)

    def publish_batch(self) -> int:
        """Publish one batch of unpublished rows; return how many were sent (and marked)."""
        started = time.perf_counter()
        rows = self._claim()
        if not rows:
            return 0
        self._returned = set()
        try:
            self._publish(self._producer(), rows)
        except BaseException:
            self._free(rows)
            raise
        sent = [row.id for row in rows if row.event_id not in self._returned]
        self._mark(sent, [row.id for row in rows if row.event_id in self._returned])
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
                timeout=self.wait_limit,
                confirm_timeout=self.wait_limit,
            )
            self._check_heartbeat()

    def _check_heartbeat(self) -> None:
        """Send and check AMQP heartbeats now and then; raises once the broker has gone silent."""
        if time.monotonic() - self._checked_at >= HEARTBEAT_CHECK_EVERY:
            self._checked_at = time.monotonic()
            self._connection.heartbeat_check()

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
                except Exception as error:  # noqa: BLE001 - broker or database away: wait, retry
                    self._failed(error, backoff)
                    self._drop_connection()
                    self.stopped.wait(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                self._recovered()
                if sent < self.batch:
                    self._keep_alive()
                    self.stopped.wait(idle_seconds)
        finally:
            self._drop_connection()
        log.info("relay stopped")

    def _failed(self, error: Exception, backoff: float) -> None:
        if isinstance(error, self._link_errors):  # a timeout, a reset, missed heartbeats
            log.warning("the broker link is dead (%r); reconnecting in %.1fs", error, backoff)
            self._link_lost = True
        else:
            log.warning("relay failed; retrying in %.1fs", backoff, exc_info=True)

    def _recovered(self) -> None:
        if self._link_lost and self._connection is not None:
            log.warning("the relay reconnected to the broker; publishing resumes")
            self._link_lost = False

    def _keep_alive(self) -> None:
        """Answer AMQP heartbeats while idle, so the broker does not drop a quiet relay and a
        silent broker is noticed."""
        if self._connection is None:
            return
        try:
            self._connection.heartbeat_check()
        except Exception as error:  # noqa: BLE001 - reconnect on the next batch
            log.warning("the broker link is dead while idle (%r); reconnecting", error)
            self._link_lost = True
            self._drop_connection()

