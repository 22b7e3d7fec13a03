"""The rules of periods and deadlines, free of Flask, SQL and the broker."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.days import VIETNAM, local_date, today_in_vietnam  # noqa: F401 - the periods' days

# Kinds of period a province uses; DVK_PERIOD_KINDS can replace this list.
DEFAULT_KINDS = ("H1", "FY")
MIN_YEAR, MAX_YEAR = 2000, 2100

# What can be due in a period, and the submission kind that satisfies it.
DUE_ITEMS = {"registrations": "registration", "reports": "result_report"}


class DueStatus(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"


OUTSTANDING = frozenset({DueStatus.PENDING, DueStatus.MISSING})


def due_status(deadline: date, submitted_on: date | None, today: date) -> DueStatus:
    """Where one unit stands on one due item: on time, late, missing, or not yet due."""
    if submitted_on is not None:
        return DueStatus.ON_TIME if submitted_on <= deadline else DueStatus.LATE
    return DueStatus.MISSING if today > deadline else DueStatus.PENDING


def period_problems(opens_on: date, deadline: date) -> list[str]:
    """Names of the broken rules between a period's dates (empty when fine)."""
    return ["deadline_before_opening"] if deadline < opens_on else []


@dataclass(frozen=True)
class Schedule:
    """Days before and after the deadline on which units that still owe something are reminded."""

    before: tuple[int, ...] = (7, 1)
    after: tuple[int, ...] = (1, 7)


@dataclass(frozen=True)
class Milestone:
    key: str  # "before-7", "after-1": one reminder per unit and period
    when: str  # "before" or "after" the deadline
    on: date


def milestones(opens_on: date, deadline: date, schedule: Schedule) -> list[Milestone]:
    """The reminder days of a period, in order; none falls before the period opens."""
    days = [Milestone(f"before-{n}", "before", date.fromordinal(deadline.toordinal() - n))
            for n in schedule.before]
    days += [Milestone(f"after-{n}", "after", date.fromordinal(deadline.toordinal() + n))
             for n in schedule.after if n > 0]
    return sorted((m for m in days if m.on >= opens_on), key=lambda m: m.on)


def current_milestone(opens_on: date, deadline: date, today: date,
                      schedule: Schedule) -> Milestone | None:
    """The latest reminder day reached, so a day the job missed is caught up, once.

    A reminder of "before" is never sent once the deadline has passed.
    """
    side = "before" if today <= deadline else "after"
    reached = [m for m in milestones(opens_on, deadline, schedule)
               if m.on <= today and m.when == side]
    return reached[-1] if reached else None


def plan_reminders(milestone: Milestone | None, owed: Mapping[int, Iterable[str]],
                   already_sent: set[tuple[int, str]]) -> dict[int, list[str]]:
    """Whom to remind today, and of which items: units still owing that were not reminded yet."""
    if milestone is None:
        return {}
    return {unit: sorted(items) for unit, items in owed.items()
            if items and (unit, milestone.key) not in already_sent}


def outstanding_items(statuses: Mapping[str, DueStatus]) -> list[str]:
    """The due items a unit still has to send."""
    return sorted(item for item, status in statuses.items() if status in OUTSTANDING)
