"""Review's scheduled jobs: outbox and inbox housekeeping, overdue reminders and escalation
(of review items and of inspections)."""

from __future__ import annotations

from review_service.inspections import overdue as inspection_deadlines
from review_service.queue import deadlines
from shared.housekeeping import register_purge, run_cron


def register(scheduler) -> None:
    register_purge(scheduler, "review")
    deadlines.register(scheduler)
    inspection_deadlines.register(scheduler)


if __name__ == "__main__":
    run_cron(register, "review")
