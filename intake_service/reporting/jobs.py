"""The rq jobs of reports: writing an export (and how the web app queues it), and keeping the
report's summary tables current.

Safe to run twice: the export job claims its export with an UPDATE only a queued export
matches. It builds the report as its requester would see it (their role and
area), in the language they chose, inside a small app context of its own. The summary
tables are refreshed every minute, so a report built afresh finds little left to count,
and rebuilt once a day (``tallies``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from intake_service.accounts.services import identity_of
from intake_service.accounts.tables import User
from intake_service.bootstrap import bootstrap
from intake_service.periods.domain import today_in_vietnam
from intake_service.reporting import document, services, tallies
from intake_service.reporting.tables import ReportExport
from shared.jobs import Jobs
from shared.pdf import ConverterMissing
from shared.settings import Settings, from_env
from shared.translation import in_language

log = logging.getLogger(__name__)
JOB = "intake_service.reporting.jobs.run_export"
TIMEOUT_SECONDS = 15 * 60
EVERY_MINUTE = 60
DAILY = 24 * 3600


def export_directory(settings: Settings) -> Path:
    """Where finished exports wait for their download: ``<data dir>/exports``."""
    return (settings.data_dir / "exports").resolve()


def run_export(export_id: int) -> str:
    """Write one queued export; return how it ended."""
    settings = from_env()
    intake = bootstrap(settings)
    try:
        with intake.sessions() as db:
            export = db.get(ReportExport, export_id)
            if export is None:
                return "missing"
            user, fmt, language = identity_of(db.get(User, export.user_id)), export.format, export.language
        with in_language("vi" if fmt in document.OFFICIAL else language):
            cmd = services.RunExport(export_id, export_directory(settings))
            write = document.writer(fmt, settings.environ)
            return services.run_export(cmd, intake.uow(), user, write, today_in_vietnam())
    except ConverterMissing as missing:  # retrying cannot help until LibreOffice is installed
        log.error("export %s failed: %s", export_id, missing)
        services.finish(intake.uow(), export_id, "failed", error="no_pdf_converter")
        return "failed"
    except Exception:
        log.exception("export %s broke off", export_id)
        services.finish(intake.uow(), export_id, "failed", error="broke_off")
        raise
    finally:
        intake.engine.dispose()


class Enqueuer:
    """Puts export jobs on the rq queue; connects to Redis on first use, not at start."""

    def __init__(self, jobs: Jobs):
        self.jobs = jobs

    def __call__(self, export_id: int) -> None:
        self.jobs.enqueue(JOB, export_id, timeout=TIMEOUT_SECONDS,
                          description=f"report export #{export_id}")


def refresh_tallies() -> int:
    """Count the changes made since the last refresh in the report's summary tables."""
    intake = bootstrap(from_env())
    try:
        return tallies.refresh(intake.engine)
    finally:
        intake.engine.dispose()


def rebuild_tallies() -> None:
    """Recompute the report's summary tables from every submission."""
    intake = bootstrap(from_env())
    try:
        tallies.rebuild(intake.engine)
    finally:
        intake.engine.dispose()


def register(scheduler) -> None:
    """Have rq's cron scheduler refresh the summary tables every minute and rebuild them daily."""
    scheduler.register(refresh_tallies, interval=EVERY_MINUTE, name="report-tallies-refresh")
    scheduler.register(rebuild_tallies, interval=DAILY, name="report-tallies-rebuild")
