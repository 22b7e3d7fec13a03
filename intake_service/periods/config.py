"""The periods feature's settings, read from the environment with embedded defaults.

Kept beside the feature rather than in ``shared.settings``: only intake's
period pages and its reminder job read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from intake_service.periods.domain import DEFAULT_KINDS, Schedule


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 587
    username: str = ""
    password: str = ""
    sender: str = "dvk@localhost"
    starttls: bool = True


@dataclass(frozen=True)
class PeriodSettings:
    kinds: tuple[str, ...] = DEFAULT_KINDS
    schedule: Schedule = field(default_factory=Schedule)
    smtp: Smtp | None = None  # no SMTP_HOST, no email: in-app notifications only


def _days(value: str) -> tuple[int, ...]:
    return tuple(int(part) for part in value.split(",") if part.strip())


def from_env(environ: Mapping[str, str]) -> PeriodSettings:
    """Read ``DVK_PERIOD_KINDS``, ``DVK_REMIND_DAYS_BEFORE``/``_AFTER`` and ``SMTP_*``."""
    env = environ
    kinds = tuple(k.strip() for k in env.get("DVK_PERIOD_KINDS", "").split(",") if k.strip())
    schedule = Schedule(before=_days(env.get("DVK_REMIND_DAYS_BEFORE", "7,1")),
                        after=_days(env.get("DVK_REMIND_DAYS_AFTER", "1,7")))
    smtp = None
    if env.get("SMTP_HOST"):
        smtp = Smtp(host=env["SMTP_HOST"], port=int(env.get("SMTP_PORT", "587")),
                    username=env.get("SMTP_USERNAME", ""), password=env.get("SMTP_PASSWORD", ""),
                    sender=env.get("SMTP_FROM", "dvk@localhost"),
                    starttls=env.get("SMTP_STARTTLS", "1") == "1")
    return PeriodSettings(kinds=kinds or DEFAULT_KINDS, schedule=schedule, smtp=smtp)
