"""Broker connections: heartbeats on, publisher confirms on, bounded retries."""

from __future__ import annotations

from kombu import Connection

from shared.settings import Settings
from shared.topology import Topology


def connect(settings: Settings) -> Connection:
    """Open a broker connection configured for this deployment (the embedded one must be served)."""
    return Connection(
        settings.broker_url,
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
        },
        connect_timeout=5,
    )


def topology(settings: Settings) -> Topology:
    return Topology(namespace=settings.namespace, delivery_limit=settings.max_attempts)
