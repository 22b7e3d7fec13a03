"""The one way to hand work to the rq worker, and to schedule it.

Every job goes to one queue named for the deployment's namespace (``Settings.job_queue``), and the
Procfile's ``worker`` takes from exactly that queue, so no job can wait on a queue nobody serves.
Jobs are functions taking ids, named by their dotted path. Redis is reached on first use, never at
import or when settings are read.

A job that changes a row's state is queued with ``retry=True``: if its worker dies under it (the
work-horse killed, or the whole worker, found later by rq's cleanup), rq runs it again after
``RETRY_INTERVALS``; its ``on_failure`` hook (a dotted path, run by rq once no run is left) ends
the row failed with a reason, and a sweep fails any row still unfinished after ``longest_run``.
The job itself knows a second run by ``attempt()`` and takes back the row its first run left.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from redis import Redis
from redis.exceptions import LockNotOwnedError, RedisError
from rq import Callback, Queue, Retry, get_current_job

from shared import embedded
from shared.settings import Settings

log = logging.getLogger(__name__)
RETRY_INTERVALS = (10, 60)  # seconds before the second and the third run of a job that died


def longest_run(timeout: int) -> int:
    """Seconds a retried job with this timeout can take, every run and wait between them."""
    return timeout * (len(RETRY_INTERVALS) + 1) + sum(RETRY_INTERVALS)


def attempt() -> int:
    """Which run of the current rq job this is: 1, then 2 and 3 after retries (1 outside rq)."""
    job = get_current_job()
    if job is None:
        return 1
    job.meta["attempt"] = job.meta.get("attempt", 0) + 1
    job.save_meta()
    return job.meta["attempt"]


def runs_left() -> int:
    """How many more times rq will run the current job if this run fails (0 outside rq)."""
    job = get_current_job()
    return (job.retries_left or 0) if job is not None else 0


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
                description: str | None = None, retry: bool = False,
                on_failure: str | None = None):
        """Queue ``function(*args)``; Redis being away raises, for callers that must know.

        ``retry``: run it again if its worker dies; ``on_failure``: the dotted path of the hook
        rq calls as ``hook(job, connection, type, value, traceback)`` when a run fails."""
        options = {}
        if retry:
            options["retry"] = Retry(max=len(RETRY_INTERVALS), interval=list(RETRY_INTERVALS))
        if on_failure:
            options["on_failure"] = Callback(on_failure)
        return self.queue().enqueue(function, *args, job_timeout=timeout, description=description,
                                    **options)

    def offer(self, function: str | Callable, *args) -> bool:
        """Queue ``function(*args)`` as an improvement that can be redone: False, logged, if Redis is away.

        Callers never hand over the only copy of the user's work this way, so a Redis outage
        loses nothing the user sent.
        """
        try:
            self.enqueue(function, *args, retry=True)
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


class SoleScheduler:
    """rq's cron scheduler, run by one process per service however many are started.

    The one running holds a lock in Redis (``<ns>.scheduler.<service>.lock``, its value the
    holder's host and pid) that expires after ``lock_seconds`` unless renewed; it renews it a
    few times in that span and writes the heartbeat (``<ns>.scheduler.<service>.heartbeat``:
    a unix timestamp) at each renewal. Any other waits as a standby and takes over once the lock
    is free: released on SIGTERM, or expired after the holder died. A holder that finds its lock
    gone (Redis away for longer than the lock lives) stops enqueueing and stands by again.
    """

    def __init__(self, cron, connection: Redis, namespace: str, service: str, lock_seconds: float):
        self.cron, self.connection, self.service = cron, connection, service
        self.lock = connection.lock(f"{namespace}.scheduler.{service}.lock", timeout=lock_seconds,
                                    thread_local=False)
        self.heartbeat_key = f"{namespace}.scheduler.{service}.heartbeat"
        self.renew_every = min(lock_seconds / 3, 60.0)
        self.token = f"{socket.gethostname()}:{os.getpid()}"
        self.stopped = threading.Event()

    def stop(self) -> None:
        """Stop at once, releasing the lock; safe to call from a signal handler."""
        self.stopped.set()

    def run(self) -> None:
        """Stand by until the lock is ours, then enqueue the due jobs until stopped."""
        backoff = 1.0
        while not self.stopped.is_set():
            try:
                if self._wait_for_lock():
                    self._lead()
                backoff = 1.0
            except LockNotOwnedError:
                log.warning("the %s scheduler lost its lock; standing by", self.service)
            except RedisError:
                log.warning("the %s scheduler cannot reach Redis; retrying in %.0fs", self.service,
                            backoff, exc_info=True)
                self.stopped.wait(backoff)
                backoff = min(backoff * 2, 30.0)
        log.info("the %s scheduler stopped", self.service)

    def _wait_for_lock(self) -> bool:
        standing_by = False
        while not self.stopped.is_set():
            if self.lock.acquire(blocking=False, token=self.token):
                log.info("the %s scheduler %s holds the lock; enqueueing", self.service, self.token)
                return True
            if not standing_by:
                log.info("another %s scheduler holds the lock; %s stands by", self.service, self.token)
                standing_by = True
            self.stopped.wait(self.renew_every / 2)
        return False

    def _lead(self) -> None:
        self.cron.register_birth()
        try:
            while not self.stopped.is_set():
                self.lock.reacquire()  # raises LockNotOwnedError once another holds it
                if self.cron.enqueue_jobs():
                    self.cron.save()
                self.cron.heartbeat()
                self.connection.set(self.heartbeat_key, int(time.time()))
                self.stopped.wait(min(self.cron.calculate_sleep_interval(), self.renew_every))
        finally:
            with contextlib.suppress(RedisError):
                self.cron.register_death()
                self.lock.release()
