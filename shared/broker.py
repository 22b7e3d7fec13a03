"""Broker connections: heartbeats on, publisher confirms on, bounded retries."""

from __future__ import annotations

from kombu import Connection

from shared.settings import Settings
from shared.topology import Topology


def connect(settings: Settings) -> Connection:
    """Open a broker connection configured for this deployment."""
    return Connection(
        settings.broker_url,
        heartbeat=settings.heartbeat_seconds,
        transport_options={
            "confirm_publish": True,
            # Redis transport: an unacked message returns to its queue after this long.
            "visibility_timeout": int(_visibility_timeout()),
            "max_retries": 3,
        },
        connect_timeout=5,
    )


def _visibility_timeout() -> float:
    import os

    return float(os.environ.get("DVK_BROKER_VISIBILITY_TIMEOUT", "60"))


def topology(settings: Settings) -> Topology:
    return Topology(namespace=settings.namespace, delivery_limit=settings.max_attempts)
