"""Which events a consumer began to handle and never finished: marks in Redis that outlive the
process, so the next delivery of an event learns that its handling killed a consumer.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class HandlingMarks:
    """Which events a consumer began to handle and never finished, kept in Redis.

    ``begin`` counts a handling up and ``end`` down; a process that dies in between leaves the
    count up, so the next delivery of the event learns how many handlings died. Marks expire
    after a day. Without Redis the consumer goes on uncounted (the broker's backstop remains).
    Two consumers handling the same event at the same moment each see the other's handling as
    unfinished: a miscount of one, only for duplicates, which the inbox makes harmless.
    """

    TTL_SECONDS = 24 * 3600

    def __init__(self, redis, prefix: str):
        self.redis = redis
        self.prefix = prefix

    @classmethod
    def at(cls, redis_url: str, prefix: str) -> HandlingMarks:
        """Marks in the Redis at ``redis_url`` (rq's), under ``prefix``; connects on first use.

        Short timeouts and one retry: a Redis that is away costs each event a moment, not more.
        """
        from redis import Redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client = Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2,
                                retry=Retry(NoBackoff(), 1))
        return cls(client, prefix)

    def begin(self, event_id: str) -> int:
        """Mark the handling begun; return how many handlings of it are unfinished, this one too."""
        key = self._key(event_id)
        try:
            count, _ = self.redis.pipeline().incr(key).expire(key, self.TTL_SECONDS).execute()
            return int(count)
        except Exception as error:  # noqa: BLE001 - Redis away: handle uncounted, say so
            log.warning("handling marks unavailable (%r); event %s handled uncounted",
                        error, event_id)
            return 1

    def end(self, event_id: str) -> None:
        """The handling ended without handling the event (it is put back or retried)."""
        self._quietly(self.redis.decr, event_id)

    def clear(self, event_id: str) -> None:
        """The event is done with: handled, already handled, or dead-lettered."""
        self._quietly(self.redis.delete, event_id)

    def _key(self, event_id: str) -> str:
        return f"{self.prefix}.handling.{event_id}"

    def _quietly(self, command, event_id: str) -> None:
        try:
            command(self._key(event_id))
        except Exception as error:  # noqa: BLE001 - a mark left behind only expires later
            log.warning("handling mark of %s not updated: %r", event_id, error)
