"""Review's scheduled jobs: outbox and inbox housekeeping, overdue reminders and escalation
(of review items and of inspections), and the sweep of stalled award dossiers."""

from __future__ import annotations

from review_service.inspections import overdue as inspection_deadlines
from review_service.nominations import jobs as dossier_jobs
from review_service.queue import deadlines
from shared.housekeeping import register_purge, run_cron


def register(scheduler) -> None:
    register_purge(scheduler, "review")
    deadlines.register(scheduler)
    inspection_deadlines.register(scheduler)
    dossier_jobs.register(scheduler)


if __name__ == "__main__":
    run_cron(register, "review")
