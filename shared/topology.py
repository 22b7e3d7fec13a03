"""The broker topology, declared once and imported by every publisher and consumer.

One durable topic exchange ``<ns>.events``; routing key = event type. Each
consuming service has one durable queue bound to the event types it handles,
and a dead-letter queue behind a direct exchange ``<ns>.dlx``. On RabbitMQ
the queues are quorum queues with an explicit dead-letter exchange and a
delivery limit (3.10 sets neither by default).

The consumer counts a message's attempts itself (``shared.consumer``): its
handler's failures, and the times its consumer died while handling that very
message. The quorum queue's own count is far coarser — every message a dying
consumer had prefetched is counted as delivered again — so its limit is only a
far backstop (``broker_delivery_limit``), there for a message that could kill
its consumer before the consumer's own count began.

A queue's arguments are fixed when it is made: a queue declared by an earlier
release (delivery limit = ``DVK_MAX_ATTEMPTS``) is refused on redeclaration
with PRECONDITION_FAILED. It is then used as it is, and a warning names the
one-time step that gives it the new limit (README, "Running it for real").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kombu import Exchange, Queue

log = logging.getLogger(__name__)
BACKSTOP_FACTOR, BACKSTOP_MIN = 20, 100

# Which event types each consuming service subscribes to.
SUBSCRIPTIONS = {
    "review": ("intake.#",),
    "intake": ("review.#",),
}


@dataclass(frozen=True)
class Topology:
    namespace: str
    delivery_limit: int  # DVK_MAX_ATTEMPTS: the attempts the consumer allows a message

    @property
    def broker_delivery_limit(self) -> int:
        """RabbitMQ's own limit on a message's deliveries: far beyond the consumer's count."""
        return max(BACKSTOP_MIN, BACKSTOP_FACTOR * self.delivery_limit)

    @property
    def events(self) -> Exchange:
        return Exchange(f"{self.namespace}.events", type="topic", durable=True)

    @property
    def dead_letters(self) -> Exchange:
        return Exchange(f"{self.namespace}.dlx", type="direct", durable=True)

    def queue_name(self, service: str) -> str:
        return f"{self.namespace}.{service}"

    def queue(self, service: str, quorum: bool) -> Queue:
        """The service's work queue, bound to every event type it subscribes to."""
        name = self.queue_name(service)
        arguments = {
            "x-dead-letter-exchange": self.dead_letters.name,
            "x-dead-letter-routing-key": name,
        }
        if quorum:
            arguments |= {"x-queue-type": "quorum", "x-delivery-limit": self.broker_delivery_limit}
        bindings = [_binding(self.events, key) for key in SUBSCRIPTIONS[service]]
        return Queue(name, bindings=bindings, durable=True, queue_arguments=arguments)

    def dead_letter_queue(self, service: str, quorum: bool) -> Queue:
        name = self.queue_name(service)
        arguments = {"x-queue-type": "quorum"} if quorum else {}
        return Queue(
            f"{name}.dlq",
            exchange=self.dead_letters,
            routing_key=name,
            durable=True,
            queue_arguments=arguments,
        )

    def declare(self, connection, service: str) -> None:
        """Declare exchanges and this service's queues (idempotent)."""
        quorum = is_amqp(connection)
        with connection.channel() as channel:
            for entity in (self.events, self.dead_letters, self.dead_letter_queue(service, quorum)):
                entity.bind(channel).declare()
        queue = self.queue(service, quorum)
        try:
            with connection.channel() as channel:
                queue.bind(channel).declare()
        except connection.channel_errors as error:
            if not _is_precondition_failed(error):
                raise
            log.warning("queue %s was made with other arguments (%s) and is used as it is; "
                        "recreate it once to apply a delivery limit of %d (see the README)",
                        queue.name, error, self.broker_delivery_limit)
            with connection.channel() as channel:
                _declare_existing(queue.bind(channel))


def _binding(exchange: Exchange, key: str):
    from kombu import binding

    return binding(exchange, routing_key=key)


def _is_precondition_failed(error: Exception) -> bool:
    return getattr(error, "code", None) == 406  # AMQP's PRECONDITION_FAILED


def _declare_existing(queue: Queue) -> None:
    """Check the queue is there, whatever its arguments, and bind it to its event types."""
    queue.queue_declare(passive=True)
    for binding in queue.bindings:
        binding.bind(queue)


def is_amqp(connection) -> bool:
    return connection.transport_cls in ("amqp", "pyamqp", "amqps") or (
        connection.transport.driver_type == "amqp"
    )
