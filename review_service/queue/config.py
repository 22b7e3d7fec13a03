"""Due times of review stages, read from the environment with embedded defaults.

- ``DVK_STAGE_DUE_DAYS``: a stage's due time, like "commune=7,district=10" (default 7 days each).
- ``DVK_ESCALATE_AFTER_DAYS``: how long after its due time a reminded item is escalated (3 days).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

DEFAULT_DUE_DAYS = 7
DEFAULT_ESCALATE_AFTER_DAYS = 3


def stage_due_days(environ: Mapping[str, str]) -> dict[str, timedelta]:
    """The stages given a due time of their own: ``DVK_STAGE_DUE_DAYS`` like "commune=7,district=10"."""
    parts = (part.split("=", 1) for part in environ.get("DVK_STAGE_DUE_DAYS", "").split(",") if "=" in part)
    return {stage.strip(): timedelta(days=int(days)) for stage, days in parts}


def due_after(stage_due: Mapping[str, timedelta], stage: str) -> timedelta:
    """How long ``stage`` has: its own due time, else 7 days."""
    return stage_due.get(stage, timedelta(days=DEFAULT_DUE_DAYS))


def escalate_after(environ: Mapping[str, str]) -> timedelta:
    """How long after the due time a reminded item is escalated (``DVK_ESCALATE_AFTER_DAYS``)."""
    env = environ
    return timedelta(days=int(env.get("DVK_ESCALATE_AFTER_DAYS", DEFAULT_ESCALATE_AFTER_DAYS)))
