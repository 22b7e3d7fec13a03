"""The one way to hand work to the rq worker, and to schedule it.

Every job goes to one queue named for the deployment's namespace (``Settings.job_queue``), and the
Procfile's ``worker`` takes from exactly that queue, so no job can wait on a queue nobody serves.
Jobs are functions taking ids, named by their dotted path. Redis is reached on first use, never at
import or when settings are read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from redis import Redis
from rq import Queue

from shared import embedded
from shared.settings import Settings

log = logging.getLogger(__name__)


def connect(settings: Settings) -> Redis:
    """A connection to the job store, starting the embedded one if the settings use it."""
    if settings.embedded_redis:
        embedded.serve(settings)
    return Redis.from_url(settings.redis_url)


def queue(settings: Settings, connection: Redis | None = None) -> Queue:
    """The deployment's job queue."""
    return Queue(settings.job_queue, connection=connection or connect(settings))


class Jobs:
    """Puts jobs on the deployment's queue; connects to Redis on first use, not at start."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._queue: Queue | None = None

    def queue(self) -> Queue:
        if self._queue is None:
            self._queue = queue(self.settings)
        return self._queue

    def enqueue(self, function: str | Callable, *args, timeout: int | None = None,
                description: str | None = None):
        """Queue ``function(*args)``; Redis being away raises, for callers that must know."""
        return self.queue().enqueue(function, *args, job_timeout=timeout, description=description)

    def offer(self, function: str | Callable, *args) -> bool:
        """Queue ``function(*args)`` as an improvement that can be redone: False, logged, if Redis is away.

        Callers never hand over the only copy of the user's work this way, so a Redis outage
        loses nothing the user sent.
        """
        try:
            self.enqueue(function, *args)
            return True
        except Exception:  # noqa: BLE001 - Redis away: the work is kept, the job is retried later
            log.warning("could not queue %s%r", function, args, exc_info=True)
            return False


class Schedule:
    """rq's cron scheduler, putting each periodic job on the deployment's queue."""

    def __init__(self, cron, queue_name: str):
        self.cron, self.queue_name = cron, queue_name

    def register(self, function: Callable, **options) -> None:
        self.cron.register(function, self.queue_name, **options)
