"""The outbox relay: publishes unpublished outbox rows with confirms, then marks them sent.

Rows are chosen by "not yet published", never by "id greater than the last
seen": sequence values become visible out of order, and a high-water mark
would skip rows. On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets several relays
share one outbox. If the broker is away the transaction rolls back, the rows
stay unpublished and the relay retries with backoff; a duplicate publish after
a crash is absorbed by the consumers' inbox.
"""

from __future__ import annotations

import logging
import time

from kombu import Connection
from sqlalchemy import Table, select, update
from sqlalchemy.engine import Engine

from shared import clock
from shared.db import is_postgres
from shared.topology import SUBSCRIPTIONS, Topology

log = logging.getLogger(__name__)


class Relay:
    def __init__(self, engine: Engine, outbox: Table, connect, topology: Topology, batch: int):
        self.engine = engine
        self.outbox = outbox
        self.connect = connect
        self.topology = topology
        self.batch = batch
        self._connection: Connection | None = None

    def _producer(self):
        if self._connection is None:
            connection = self.connect()
            connection.ensure_connection(max_retries=1)
            for service in SUBSCRIPTIONS:
                self.topology.declare(connection, service)
            self._connection = connection
        return self._connection.Producer()

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # noqa: BLE001 - the link is already broken
                log.debug("closing a broken broker connection failed", exc_info=True)
        self._connection = None

    def publish_batch(self) -> int:
        """Publish one batch of unpublished rows; return how many were sent."""
        query = (
            select(self.outbox.c.id, self.outbox.c.routing_key, self.outbox.c.body)
            .where(self.outbox.c.published_at.is_(None))
            .order_by(self.outbox.c.id)
            .limit(self.batch)
        )
        if is_postgres(self.engine):
            query = query.with_for_update(skip_locked=True)
        with self.engine.begin() as db:
            rows = db.execute(query).all()
            if not rows:
                return 0
            producer = self._producer()
            for row in rows:
                producer.publish(
                    row.body,
                    exchange=self.topology.events,
                    routing_key=row.routing_key,
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                    retry=False,
                )
            db.execute(
                update(self.outbox)
                .where(self.outbox.c.id.in_([row.id for row in rows]))
                .values(published_at=clock.now())
            )
        return len(rows)

    def run(self, idle_seconds: float, stop=lambda: False) -> None:
        """Relay until ``stop()`` is true, backing off while the broker is away."""
        backoff = 0.5
        while not stop():
            try:
                sent = self.publish_batch()
                backoff = 0.5
            except Exception:  # noqa: BLE001 - broker or database away: roll back, wait, retry
                log.warning("relay failed; retrying in %.1fs", backoff, exc_info=True)
                self._drop_connection()
                time.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if sent < self.batch:
                self._keep_alive()
                time.sleep(idle_seconds)

    def _keep_alive(self) -> None:
        """Answer AMQP heartbeats while idle, so the broker does not drop a quiet relay."""
        if self._connection is None:
            return
        try:
            self._connection.heartbeat_check()
        except Exception:  # noqa: BLE001 - reconnect on the next batch
            log.info("broker link lost while idle; will reconnect", exc_info=True)
            self._drop_connection()
