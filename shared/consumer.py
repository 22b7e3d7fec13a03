"""A service's event consumer: validate, handle once, ack after commit, dead-letter poison.

kombu's ``ConsumerMixin`` acks a message it cannot decode; here such a message,
an event that breaks its contract, and one whose handler keeps failing all go
to the service's dead-letter queue, and the line keeps moving. Retries are
counted in a header, so they are bounded on every transport; on RabbitMQ the
quorum queue's delivery limit also catches a message that kills its consumer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kombu.mixins import ConsumerMixin

from shared.events import ContractError, Event, decode
from shared.messaging import Inbox
from shared.topology import Topology, is_amqp
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)
ATTEMPTS_HEADER = "x-dvk-attempts"
REASON_HEADER = "x-dvk-dead-letter-reason"

Handler = Callable[[Event, UnitOfWork], None]


def idempotent(new_uow: Callable[[], UnitOfWork], inbox: Inbox, handlers: dict[str, Handler]):
    """Wrap per-type handlers so each event's effect and its inbox row commit together."""

    def handle(event: Event) -> None:
        with new_uow() as uow:
            if not inbox.record(uow.session, event):
                log.info("event %s already handled; skipped", event.event_id)
                return
            handler = handlers.get(event.type)
            if handler is not None:
                handler(event, uow)
            uow.commit()

    return handle


class EventConsumer(ConsumerMixin):
    def __init__(self, connection, topology: Topology, service: str, handle, max_attempts: int):
        self.connection = connection
        self.topology = topology
        self.service = service
        self.handle = handle
        self.max_attempts = max_attempts
        self.quorum = is_amqp(connection)

    def get_consumers(self, Consumer, channel):  # noqa: N803 - kombu's signature
        return [
            Consumer(
                queues=[self.topology.queue(self.service, self.quorum)],
                callbacks=[self.on_message],
                accept=["json"],
                prefetch_count=20,
                on_decode_error=self.on_decode_error,
            )
        ]

    def on_connection_revived(self):
        self.topology.declare(self.connection, self.service)

    def on_decode_error(self, message, exc):
        self.dead_letter(message, f"undecodable: {exc}")

    def on_message(self, body, message):
        try:
            event = decode(body)
        except ContractError as error:
            self.dead_letter(message, f"contract: {error.messages}")
            return
        try:
            self.handle(event)
        except Exception as error:  # noqa: BLE001 - any failure is retried, then dead-lettered
            log.exception("handling %s failed", event.event_id)
            self.retry_or_dead_letter(message, repr(error))
            return
        message.ack()

    def retry_or_dead_letter(self, message, reason: str) -> None:
        attempts = int((message.headers or {}).get(ATTEMPTS_HEADER, 0)) + 1
        if attempts >= self.max_attempts:
            self.dead_letter(message, f"failed {attempts} times: {reason}")
            return
        time.sleep(min(0.2 * attempts, 2.0))
        self._republish(message, exchange="", routing_key=self.topology.queue_name(self.service),
                        headers={ATTEMPTS_HEADER: attempts})
        message.ack()

    def dead_letter(self, message, reason: str) -> None:
        log.error("dead-lettering a message: %s", reason)
        self._republish(message, exchange=self.topology.dead_letters,
                        routing_key=self.topology.queue_name(self.service),
                        headers={REASON_HEADER: reason[:500]})
        message.ack()

    def _republish(self, message, exchange, routing_key, headers) -> None:
        # On the channel the message came from: the mixin consumes on a clone of
        # self.connection, and after a broker outage only that clone is fresh.
        with message.channel.connection.client.Producer() as producer:
            producer.publish(
                message.body,
                exchange=exchange,
                routing_key=routing_key,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                headers={**(message.headers or {}), **headers},
                delivery_mode=2,
                retry=True,
                retry_policy={"max_retries": 5, "interval_start": 0.5, "interval_step": 1},
            )
