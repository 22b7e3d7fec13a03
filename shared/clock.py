"""The one clock both services read: aware UTC, so a moment means the same everywhere."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current moment, in UTC."""
    return datetime.now(UTC)
