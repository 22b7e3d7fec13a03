"""Handing work to the rq worker from a web request or a handler, after the data is committed."""

from __future__ import annotations

import logging

from redis import Redis
from rq import Queue

from shared.settings import Settings, resolve_engines

log = logging.getLogger(__name__)


def enqueue(settings: Settings, function: str, *args) -> bool:
    """Queue ``function`` (a dotted path) for the worker; False, logged, when Redis is away.

    Callers treat the job as an improvement that can be redone, never as the only copy of
    the user's work, so a Redis outage never loses what the user sent.
    """
    try:
        connection = Redis.from_url(resolve_engines(settings).redis_url)
        Queue("default", connection=connection).enqueue(function, *args)
        return True
    except Exception:  # noqa: BLE001 - Redis away: the work is kept, the job is retried later
        log.warning("could not queue %s%r", function, args, exc_info=True)
        return False
