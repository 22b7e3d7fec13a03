"""A service's event consumer: validate, handle once, ack after commit, dead-letter poison.

kombu's ``ConsumerMixin`` acks a message it cannot decode; here such a message,
an event that breaks its contract, and one whose handler keeps failing all go
to the service's dead-letter queue, and the line keeps moving.

A message's attempts are counted by the consumer, never by how often the broker
delivered it: a handler's failure is counted in a header of the copy put back
on the queue, and a handling that never ended (its process died) leaves a mark
in Redis that the next delivery of that event finds (``HandlingMarks``). The
messages a dying consumer had prefetched but not started carry no mark and are
not counted, however often it dies. A failure of the database or the network
(``shared.delivery.is_infrastructure``) is counted never: the message goes back,
the consumer lets go of the queue and waits, backing off, until the database
answers, then takes messages again.

A dead link to the broker is noticed as the relay notices it (``shared.broker.silence_limit``):
heartbeats are checked every second the queue is quiet, and a copy put back or dead-lettered
waits that long at most for its confirm; the consumer then reconnects and takes messages again.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable

from kombu.mixins import ConsumerMixin
from prometheus_client import Counter, Histogram
from sqlalchemy import text

from shared import delivery
from shared.events import ContractError, Event, decode
from shared.handling import HandlingMarks
from shared.logs import bound
from shared.messaging import Inbox
from shared.topology import Topology, is_amqp
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)
ATTEMPTS_HEADER = "x-dvk-attempts"
REASON_HEADER = "x-dvk-dead-letter-reason"
PREFETCH = 20

Handler = Callable[[Event, UnitOfWork], None]

EVENTS = Counter("dvk_events_handled", "Messages a consumer took, by what became of them",
                 ["service", "outcome"])
HANDLING = Histogram("dvk_event_handling_seconds", "Time a consumer spent on one event", ["service"])
REDELIVERIES = Counter("dvk_redeliveries", "Messages the broker delivered again", ["service"])
DEAD_LETTERED = Counter("dvk_dead_lettered", "Messages sent to the dead-letter queue", ["service"])


class Idempotent:
    """Per-type handlers, each event's effect committed with its inbox row; ``True`` if handled,
    ``False`` for an event already handled."""

    def __init__(self, new_uow: Callable[[], UnitOfWork], inbox: Inbox,
                 handlers: dict[str, Handler]):
        self.new_uow = new_uow
        self.inbox = inbox
        self.handlers = handlers

    def __call__(self, event: Event) -> bool:
        with self.new_uow() as uow:
            if not self.inbox.record(uow.session, event):
                log.info("event %s already handled; skipped", event.event_id)
                return False
            handler = self.handlers.get(event.type)
            if handler is not None:
                handler(event, uow)
            uow.commit()
        return True

    def reconnect(self) -> None:
        """Drop the pooled connections and reach the database afresh; raises while it is away."""
        with self.new_uow() as uow:
            engine = uow.session.get_bind()
        engine.dispose()
        with self.new_uow() as uow:
            uow.session.execute(text("SELECT 1"))


def idempotent(new_uow: Callable[[], UnitOfWork], inbox: Inbox,
               handlers: dict[str, Handler]) -> Idempotent:
    """Wrap per-type handlers so each event's effect and its inbox row commit together."""
    return Idempotent(new_uow, inbox, handlers)


class Stopped(Exception):
    """The consumer was asked to stop while it waited for the broker."""


class EventConsumer(ConsumerMixin):
    """Takes one service's messages until asked to stop, or until the database goes away
    (``paused``: the message in hand went back; the caller waits for the database)."""

    def __init__(self, connection, topology: Topology, service: str, handle, max_attempts: int,
                 marks: HandlingMarks, stop: Callable[[], bool] = lambda: False,
                 wait_limit: float = 60.0):
        self.connection = connection
        self.wait_limit = wait_limit  # the longest wait for a republished copy's confirm
        self.topology = topology
        self.service = service
        self.handle = handle
        self.max_attempts = max_attempts
        self.marks = marks
        self.stop = stop
        self.paused = False
        self.quorum = is_amqp(connection)

    @property
    def should_stop(self) -> bool:  # read by the mixin between messages
        return self.paused or self.stop()

    def get_consumers(self, Consumer, channel):  # noqa: N803 - kombu's signature
        # The exchanges again, on the consuming connection: kombu's Redis transport knows an
        # exchange's type only in the process memory of the connection that declared it, and
        # it is this connection that puts back what a dead consumer left unacked — routed as
        # a direct exchange's would be, a topic message would reach no queue and be lost.
        for exchange in (self.topology.events, self.topology.dead_letters):
            exchange.bind(channel).declare()
        return [
            Consumer(
                queues=[self.topology.queue(self.service, self.quorum)],
                callbacks=[self.on_message],
                accept=["json"],
                prefetch_count=PREFETCH,
                on_decode_error=self.on_decode_error,
                auto_declare=False,  # declared by the topology, which accepts an older queue
            )
        ]

    def on_connection_revived(self):
        self.topology.declare(self.connection, self.service)

    def on_connection_error(self, exc, interval):
        if self.stop():
            raise Stopped from exc
        log.warning("broker unreachable (%r); retrying in %.1fs", exc, interval)

    def on_decode_error(self, message, exc):
        self.dead_letter(message, f"undecodable: {exc}")

    def on_message(self, body, message):
        if self.should_stop:  # delivered before we let go of the queue: back, untouched
            message.requeue()
            return
        if message.delivery_info.get("redelivered"):
            REDELIVERIES.labels(self.service).inc()
        try:
            event = decode(body)
        except ContractError as error:
            self.dead_letter(message, f"contract: {error.messages}")
            return
        with bound(correlation_id=event.correlation_id):
            self.deliver(event, message)

    def deliver(self, event: Event, message) -> None:
        """Handle the event unless its attempts are spent; ack, retry, put back or dead-letter."""
        retried = int((message.headers or {}).get(ATTEMPTS_HEADER, 0))
        died = self.marks.begin(event.event_id) - 1
        if delivery.is_spent(retried, died, self.max_attempts):
            self.dead_letter(message, f"failed {retried} times and stopped its consumer "
                                      f"{died} times while being handled")
            self.marks.clear(event.event_id)
            return
        try:
            with HANDLING.labels(self.service).time():
                handled = self.handle(event)
        except Exception as error:  # noqa: BLE001 - retried, put back or dead-lettered
            self.marks.end(event.event_id)
            if delivery.is_infrastructure(error):
                self.defer(message, error)
            else:
                log.exception("handling %s failed", event.event_id)
                self.retry_or_dead_letter(message, repr(error), retried + 1, died)
            return
        self.marks.clear(event.event_id)
        message.ack()
        EVENTS.labels(self.service, "duplicate" if handled is False else "handled").inc()

    def defer(self, message, error: BaseException) -> None:
        """Put the message back uncounted and let go of the queue until the database answers."""
        log.warning("database unavailable (%r); the message goes back and consuming pauses", error)
        message.requeue()
        EVENTS.labels(self.service, "deferred").inc()
        self.paused = True

    def retry_or_dead_letter(self, message, reason: str, failures: int, died: int = 0) -> None:
        """Put a copy back carrying its handler's ``failures``, or dead-letter it if spent."""
        if delivery.is_spent(failures, died, self.max_attempts):
            self.dead_letter(message, f"failed {delivery.attempts_spent(failures, died)} "
                                      f"times: {reason}")
            return
        time.sleep(min(0.2 * failures, 2.0))
        self._republish(message, exchange="", routing_key=self.topology.queue_name(self.service),
                        headers={ATTEMPTS_HEADER: failures})
        message.ack()
        EVENTS.labels(self.service, "retried").inc()

    def dead_letter(self, message, reason: str) -> None:
        log.error("dead-lettering a message: %s", reason)
        self._republish(message, exchange=self.topology.dead_letters,
                        routing_key=self.topology.queue_name(self.service),
                        headers={REASON_HEADER: reason[:500]})
        message.ack()
        EVENTS.labels(self.service, "dead_lettered").inc()
        DEAD_LETTERED.labels(self.service).inc()

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
                timeout=self.wait_limit,
                confirm_timeout=self.wait_limit,
            )


def consume(connect: Callable, topology: Topology, service: str, handle: Idempotent,
            max_attempts: int, marks: HandlingMarks, stop: Callable[[], bool],
            wait_limit: float = 60.0) -> None:
    """Consume the service's queue until ``stop()``; a broker or database away is waited for."""
    pauses = 0
    while not stop():
        consumer = None
        try:
            with connect() as connection:
                connection.ensure_connection(max_retries=1)
                topology.declare(connection, service)
                consumer = EventConsumer(connection, topology, service, handle, max_attempts,
                                         marks, stop, wait_limit)
                consumer.run()
        except Stopped:
            return
        except Exception:  # noqa: BLE001 - broker away at start or mid-way: wait and reconnect
            pauses += 1
            log.warning("consumer lost the broker; reconnecting in %.1fs",
                        delivery.backoff(pauses), exc_info=True)
            _sleep(delivery.backoff(pauses), stop)
            continue
        if consumer is not None and consumer.paused:
            _wait_for_database(handle, stop)
        pauses = 0


def _wait_for_database(handle: Idempotent, stop: Callable[[], bool]) -> None:
    for pause in itertools.count(1):
        _sleep(delivery.backoff(pause), stop)
        if stop():
            return
        try:
            handle.reconnect()
        except Exception as error:  # noqa: BLE001 - still away: wait longer
            level = logging.WARNING if delivery.is_infrastructure(error) else logging.ERROR
            log.log(level, "database still unavailable (%r); next try in %.1fs",
                    error, delivery.backoff(pause + 1))
            continue
        log.warning("database reachable again; consuming resumes")
        return


def _sleep(seconds: float, stop: Callable[[], bool]) -> None:
    """Sleep, waking early when asked to stop (a signal handler sets the flag ``stop`` reads)."""
    deadline = time.monotonic() + seconds
    while not stop() and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.1))
