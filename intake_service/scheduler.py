"""Intake's scheduled jobs: outbox and inbox housekeeping, deadline reminders, emails of
notifications, thumbnails, abandoned imports, the report's summary tables."""

from __future__ import annotations

from intake_service.bulk import jobs as import_jobs
from intake_service.notifications import jobs as notification_jobs
from intake_service.periods import jobs as period_jobs
from intake_service.reporting import jobs as reporting_jobs
from intake_service.results import jobs as report_jobs
from shared.housekeeping import register_purge, run_cron


def register(scheduler) -> None:
    register_purge(scheduler, "intake")
    import_jobs.register(scheduler)
    period_jobs.register(scheduler)
    notification_jobs.register(scheduler)
    report_jobs.register(scheduler)
    reporting_jobs.register(scheduler)


if __name__ == "__main__":
    run_cron(register, "intake")
