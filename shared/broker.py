"""Broker connections: heartbeats on, publisher confirms on, bounded retries, cluster failover.

``BROKER_URL`` may list several nodes of a RabbitMQ cluster separated by ``;``
(``amqp://u:p@rabbit-1//;amqp://u:p@rabbit-2//;amqp://u:p@rabbit-3//``). kombu treats
the list as failover alternates: when a connection attempt fails, the next node is
tried at once (``round-robin``), and only a whole round of failures waits before the
next round. Each connection starts at a random node of the list and goes round from
there, so the processes spread over the cluster instead of all landing on the first
node, and a process that reconnects with a fresh connection and few retries (the
relay's ``ensure_connection(max_retries=1)`` tries two nodes) still reaches every
node over its successive attempts. Quorum queues declared on a cluster get a member
on every cluster node (RabbitMQ's default initial group size), so the loss of one
node of three loses no message and, after a new leader is elected, stops no queue.

No wait on the broker is unbounded: a link that goes silent (a dead peer, a switch that forgot
the connection) is taken for dead after two heartbeat intervals (``silence_limit``), which is
how long a socket read or write, a publisher confirm and the AMQP handshake may take, and how
long the heartbeats checked while publishing and consuming let pass without a frame.
"""

from __future__ import annotations

import random

from kombu import Connection

from shared.settings import Settings
from shared.topology import Topology


def nodes(broker_url: str) -> list[str]:
    """The broker URLs listed in ``BROKER_URL`` (one, or a cluster's nodes separated by ';')."""
    return [url.strip() for url in broker_url.split(";") if url.strip()]


def failover_order(broker_url: str, start: int | None = None) -> str:
    """The listed nodes from ``start`` (a random one if not given) round to the one before it."""
    listed = nodes(broker_url)
    first = random.randrange(len(listed)) if start is None else start % len(listed)
    return ";".join(listed[first:] + listed[:first])


NO_HEARTBEAT_LIMIT = 60.0  # seconds, when heartbeats are turned off (DVK_HEARTBEAT_SECONDS=0)


def silence_limit(settings: Settings) -> float:
    """Seconds the broker may stay silent before its link is taken for dead: two heartbeats."""
    return 2.0 * settings.heartbeat_seconds if settings.heartbeat_seconds else NO_HEARTBEAT_LIMIT


def connect(settings: Settings) -> Connection:
    """Open a broker connection configured for this deployment (the embedded one must be served)."""
    return Connection(
        failover_order(settings.broker_url),
        failover_strategy="round-robin",
        heartbeat=settings.heartbeat_seconds,
        transport_options={
            "confirm_publish": True,
            # Redis transport: an unacked message returns to its queue after this long;
            # look for such messages on every poll, and never let a dead consumer's
            # restore lock block the others for kombu's default five minutes.
            "visibility_timeout": int(settings.broker_visibility_timeout),
            "unacked_restore_throttle": 1,
            "unacked_mutex_expire": 10,
            "max_retries": 3,
            # AMQP: a socket read or write that waits longer fails instead of hanging.
            "read_timeout": silence_limit(settings),
            "write_timeout": silence_limit(settings),
        },
        connect_timeout=min(5.0, silence_limit(settings)),
    )


def topology(settings: Settings) -> Topology:
    return Topology(namespace=settings.namespace, delivery_limit=settings.max_attempts)
