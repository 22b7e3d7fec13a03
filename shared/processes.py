"""Entry points shared by both services' long-running processes: relays, consumers, rq worker."""

from __future__ import annotations

import logging
import signal

from shared import broker
from shared.consumer import EventConsumer
from shared.db import make_engine
from shared.relay import Relay
from shared.settings import Settings, from_env, resolve_engines


def _settings() -> Settings:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    return resolve_engines(from_env())


def _stop_on_sigterm() -> list[bool]:
    stopping = [False]

    def stop(*_args):
        stopping[0] = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return stopping


def run_relay(database_url, outbox) -> None:
    """Publish a service's outbox until stopped."""
    settings = _settings()
    relay = Relay(
        engine=make_engine(database_url(settings)),
        outbox=outbox,
        connect=lambda: broker.connect(settings),
        topology=broker.topology(settings),
        batch=settings.relay_batch_size,
    )
    stopping = _stop_on_sigterm()
    relay.run(settings.relay_idle_seconds, stop=lambda: stopping[0])


def run_consumer(service: str, make_handler) -> None:
    """Consume a service's queue until stopped."""
    settings = _settings()
    handle = make_handler(settings)
    with broker.connect(settings) as connection:
        topology = broker.topology(settings)
        connection.ensure_connection(max_retries=None, interval_start=0.5, interval_max=5)
        topology.declare(connection, service)
        consumer = EventConsumer(connection, topology, service, handle, settings.max_attempts)
        signal.signal(signal.SIGTERM, lambda *_: setattr(consumer, "should_stop", True))
        consumer.run()


def run_worker() -> None:
    """Run an rq worker with the scheduler on, for exports, imports, reminders and sweeps."""
    from redis import Redis
    from rq import Queue, Worker

    settings = _settings()
    connection = Redis.from_url(settings.redis_url)
    queues = [Queue(name, connection=connection) for name in ("default",)]
    Worker(queues, connection=connection).work(with_scheduler=True)


if __name__ == "__main__":
    run_worker()
