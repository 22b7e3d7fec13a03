"""The broker topology, declared once and imported by every publisher and consumer.

One durable topic exchange ``<ns>.events``; routing key = event type. Each
consuming service has one durable queue bound to the event types it handles,
and a dead-letter queue behind a direct exchange ``<ns>.dlx``. On RabbitMQ
the queues are quorum queues with an explicit delivery limit and
dead-letter exchange (3.10 sets neither by default), so a message that keeps
killing its consumer still ends in the dead-letter queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from kombu import Exchange, Queue

# Which event types each consuming service subscribes to.
SUBSCRIPTIONS = {
    "review": ("intake.#",),
    "intake": ("review.#",),
}


@dataclass(frozen=True)
class Topology:
    namespace: str
    delivery_limit: int

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
            arguments |= {"x-queue-type": "quorum", "x-delivery-limit": self.delivery_limit}
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
            for entity in (
                self.events,
                self.dead_letters,
                self.queue(service, quorum),
                self.dead_letter_queue(service, quorum),
            ):
                entity.bind(channel).declare()


def _binding(exchange: Exchange, key: str):
    from kombu import binding

    return binding(exchange, routing_key=key)


def is_amqp(connection) -> bool:
    return connection.transport_cls in ("amqp", "pyamqp", "amqps") or (
        connection.transport.driver_type == "amqp"
    )
