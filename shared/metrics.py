"""What Prometheus reads from a service: its requests, and what is waiting, measured at scrape time.

Requests are counted as they are served (``REQUESTS``, ``LATENCY``). What waits is looked up
when ``/metrics`` is read (``Backlog``): the service's unpublished outbox rows and the age of
the oldest, the messages in its dead-letter queue, the job queue and its failed jobs, and how
long ago its scheduler last wrote its heartbeat. A source that cannot be reached shows as
``dvk_metrics_source_up{source} 0`` and its samples are left out, so a scrape never fails.

With ``PROMETHEUS_MULTIPROC_DIR`` set, every process (web workers, relays, consumers) writes
its own counters there and ``registry`` adds them up (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select

from shared import clock
from shared.settings import Settings

log = logging.getLogger(__name__)
TIMEOUT = 2.0  # a source's longest wait: the broker's connection (the others' are given theirs)

REQUESTS = Counter("dvk_http_requests_total", "HTTP requests served",
                   ["service", "endpoint", "method", "status"])
LATENCY = Histogram("dvk_http_request_duration_seconds", "Time to serve an HTTP request",
                    ["service", "endpoint"])


def heartbeat_key(namespace: str, service: str) -> str:
    """The Redis key a service's scheduler keeps its last beat in (a unix timestamp)."""
    return f"{namespace}.scheduler.{service}.heartbeat"


class Backlog:
    """A collector of what waits for one service, read from its sources on each scrape."""

    def __init__(self, service: str, settings: Settings, engine, outbox, broker, redis,
                 dead_letter_queue: str):
        self.service, self.settings, self.engine, self.outbox = service, settings, engine, outbox
        self.broker, self.redis = broker, redis  # () -> a kombu Connection, () -> a Redis client
        self.dead_letter_queue = dead_letter_queue

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("dvk_metrics_source_up", "Whether a source of these metrics answered",
                               labels=["service", "source"])
        for source, read in (("database", self._outbox), ("broker", self._dead_letters),
                             ("redis", self._jobs)):
            families = _read(source, read)
            up.add_metric([self.service, source], 0 if families is None else 1)
            yield from families or ()
        yield up

    def _gauge(self, name: str, text: str, value: float, **labels: str) -> GaugeMetricFamily:
        family = GaugeMetricFamily(name, text, labels=["service", *labels])
        family.add_metric([self.service, *labels.values()], value)
        return family

    def _outbox(self) -> list[GaugeMetricFamily]:
        table = self.outbox
        with self.engine.connect() as db:
            waiting, oldest = db.execute(select(func.count(), func.min(table.c.created_at))
                                         .where(table.c.published_at.is_(None))).one()
        age = (clock.now() - oldest).total_seconds() if oldest else 0.0
        return [self._gauge("dvk_outbox_unpublished", "Outbox rows not yet published", waiting),
                self._gauge("dvk_outbox_oldest_unpublished_age_seconds",
                            "Age of the oldest unpublished outbox row (0 when none waits)", age)]

    def _dead_letters(self) -> list[GaugeMetricFamily]:
        with self.broker() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT)
            try:
                waiting = connection.default_channel.queue_declare(
                    queue=self.dead_letter_queue, passive=True).message_count
            except connection.channel_errors:  # not declared yet: nothing was ever dead-lettered
                waiting = 0
        return [self._gauge("dvk_dead_letters", "Messages in the service's dead-letter queue",
                            waiting, queue=self.dead_letter_queue)]

    def _jobs(self) -> list[GaugeMetricFamily]:
        from rq import Queue
        from rq.registry import FailedJobRegistry

        redis = self.redis()
        queue = Queue(self.settings.job_queue, connection=redis)
        beat = redis.get(heartbeat_key(self.settings.namespace, self.service))
        age = clock.now().timestamp() - float(beat) if beat else math.nan
        return [self._gauge("dvk_jobs_queued", "Jobs waiting in the job queue", queue.count,
                            queue=queue.name),
                self._gauge("dvk_jobs_failed", "Jobs in the failed job registry",
                            FailedJobRegistry(queue=queue).count, queue=queue.name),
                self._gauge("dvk_scheduler_heartbeat_age_seconds",
                            "Seconds since the service's scheduler last beat (NaN: never)", age)]


def _read(source: str, read: Callable[[], list]) -> list | None:
    try:
        return read()
    except Exception as error:  # noqa: BLE001 - a source away must not fail the whole scrape
        log.warning("metrics: %s did not answer: %s", source, str(error).partition("\n")[0] or repr(error))
        return None


class _ThisProcess:
    """The default registry's metrics, for a single process (no multiprocess directory)."""

    def collect(self):
        return REGISTRY.collect()


def registry(settings: Settings, backlog: Backlog) -> CollectorRegistry:
    """What one scrape reads: every process's metrics (or this one's), and the backlog."""
    scrape = CollectorRegistry(auto_describe=False)
    if settings.metrics_dir:
        MultiProcessCollector(scrape, path=str(settings.metrics_dir))
    else:
        scrape.register(_ThisProcess())
    scrape.register(backlog)
    return scrape
