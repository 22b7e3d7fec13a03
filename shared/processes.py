"""Entry points shared by both services' long-running processes: relays, consumers, rq worker."""

from __future__ import annotations

import logging
import signal
import time

from shared import broker, embedded, jobs
from shared.consumer import EventConsumer
from shared.db import make_engine
from shared.relay import Relay
from shared.settings import Settings, from_env

log = logging.getLogger(__name__)


def _settings() -> Settings:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = from_env()
    embedded.serve(settings)
    return settings


def _stop_on_sigterm(also=lambda: None) -> list[bool]:
    stopping = [False]

    def stop(*_args):
        stopping[0] = True
        also()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return stopping


def run_relay(database_url, outbox, service: str) -> None:
    """Publish a service's outbox until stopped; SIGTERM lets the batch in hand finish first."""
    settings = _settings()
    engine = make_engine(database_url(settings))
    relay = Relay(
        engine=engine,
        outbox=outbox,
        connect=lambda: broker.connect(settings),
        topology=broker.topology(settings),
        batch=settings.relay_batch_size,
        service=service,
    )
    _stop_on_sigterm(relay.stop)
    try:
        relay.run(settings.relay_idle_seconds)
    finally:
        engine.dispose()


def run_consumer(service: str, make_handler) -> None:
    """Consume a service's queue until stopped; a broker that is away is waited for, never fatal."""
    settings = _settings()
    handle = make_handler(settings)
    topology = broker.topology(settings)
    running: list[EventConsumer] = []
    stopping = _stop_on_sigterm(lambda: [setattr(c, "should_stop", True) for c in running])
    backoff = 0.5
    while not stopping[0]:
        try:
            with broker.connect(settings) as connection:
                connection.ensure_connection(max_retries=None, interval_start=0.5, interval_max=5)
                topology.declare(connection, service)
                running[:] = [EventConsumer(connection, topology, service, handle,
                                            settings.max_attempts)]
                running[0].run()
                return
        except Exception:  # noqa: BLE001 - broker away at start or mid-way: wait and reconnect
            log.warning("consumer lost the broker; reconnecting in %.1fs", backoff, exc_info=True)
            time.sleep(backoff)
            backoff = min(backoff * 2, 5.0)


def run_worker() -> None:
    """Run an rq worker with the scheduler on, for exports, imports, reminders and sweeps."""
    from rq import Worker

    settings = _settings()
    connection = jobs.connect(settings)
    Worker([jobs.queue(settings, connection)], connection=connection).work(with_scheduler=True)


if __name__ == "__main__":
    run_worker()
