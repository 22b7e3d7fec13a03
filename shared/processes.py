"""Entry points shared by both services' long-running processes: relays, consumers, rq worker."""

from __future__ import annotations

import logging
import signal
import time

from redis.exceptions import RedisError

from shared import broker, embedded, jobs, logs
from shared.consumer import consume
from shared.db import make_engine
from shared.handling import HandlingMarks
from shared.relay import Relay
from shared.settings import Settings, for_process

log = logging.getLogger(__name__)
WORKER_BACKOFF_MAX = 10.0  # seconds between a worker's attempts at reaching Redis again


def _settings() -> Settings:
    logs.configure(logs.process_name())  # JSON lines on stderr
    settings = for_process()  # a bad or development-only variable ends the start, named
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
        lease_seconds=settings.relay_lease_seconds,
        wait_limit=broker.silence_limit(settings),
    )
    _stop_on_sigterm(relay.stop)
    try:
        relay.run(settings.relay_idle_seconds)
    finally:
        engine.dispose()


def run_consumer(service: str, make_handler) -> None:
    """Consume a service's queue until SIGTERM; a broker or database that is away is waited for,
    never fatal. On SIGTERM the message in hand is finished and acked, and no other is taken."""
    settings = _settings()
    handle = make_handler(settings)
    stopping = _stop_on_sigterm()
    marks = HandlingMarks.at(settings.redis_url, prefix=f"{settings.namespace}.{service}")
    consume(lambda: broker.connect(settings), broker.topology(settings), service, handle,
            settings.max_attempts, marks, stop=lambda: stopping[0],
            wait_limit=broker.silence_limit(settings))
    log.info("consumer of %s stopped", service)


def run_worker() -> None:
    """Run an rq worker with the scheduler on, for exports, imports, reminders and sweeps; when
    Redis drops (rq's worker then quits) a new worker starts as soon as Redis answers again,
    and only SIGTERM or SIGINT ends the process (rq's own warm shutdown)."""
    from rq import Worker

    settings = _settings()
    failures = 0
    while True:
        try:
            connection = jobs.connect(settings)
            connection.ping()
            worker = Worker([jobs.queue(settings, connection)], connection=connection)
            worker.work(with_scheduler=True)
        except RedisError as error:
            worker = None
            log.warning("the worker cannot reach Redis (%r)", error)
        # rq's worker leaves work() when asked to stop (it notes when, busy or idle), and also
        # when Redis dropped under it.
        if worker is not None and getattr(worker, "_shutdown_requested_date", None) is not None:
            break
        failures = failures + 1 if worker is None else 1
        pause = min(0.5 * 2 ** failures, WORKER_BACKOFF_MAX)
        log.warning("the worker starts again in %.1fs", pause)
        stopping = _stop_on_sigterm()  # rq's handlers are for a running worker only
        deadline = time.monotonic() + pause
        while not stopping[0] and time.monotonic() < deadline:
            time.sleep(0.1)
        if stopping[0]:
            break
    log.info("worker stopped")


if __name__ == "__main__":
    run_worker()
