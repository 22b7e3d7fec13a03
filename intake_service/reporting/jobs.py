"""The rq jobs of reports: writing an export (and how the web app queues it), and keeping the
report's summary tables current.

Safe to run twice: the export job claims its export with an UPDATE only a queued export
matches. Its worker dying under it is not the end: rq runs it again (``shared.jobs``), and the
second run takes back the export the first left running; a database restart mid-way is retried
the same way. Once no run is left the export ends failed with its reason (``export_failed``),
and the quarter-hourly sweep fails any export unfinished for longer than its runs can take;
its page says so and offers to start it again. It builds the report as its requester would see
it (their role and area), in the language they chose, inside a small app context of its own.
The summary tables are refreshed every minute, so a report built afresh finds little left to
count, and rebuilt once a day (``tallies``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from intake_service.accounts.services import identity_of
from intake_service.accounts.tables import User
from intake_service.bootstrap import bootstrap
from intake_service.periods.domain import today_in_vietnam
from intake_service.reporting import document, services, tallies
from intake_service.reporting.tables import UNFINISHED, ReportExport
from shared import clock, jobs
from shared.delivery import is_infrastructure
from shared.jobs import Jobs
from shared.pdf import ConverterMissing
from shared.settings import Settings, from_env
from shared.translation import in_language

log = logging.getLogger(__name__)
JOB = "intake_service.reporting.jobs.run_export"
FAILED = "intake_service.reporting.jobs.export_failed"
TIMEOUT_SECONDS = 15 * 60
STALL_MARGIN = 15 * 60  # and how often the sweep looks
BROKE_OFF = "broke_off"  # the reason told on the export's page (texts.EXPORT_ERRORS)
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
        if jobs.attempt() > 1:
            _take_back(intake, export_id)
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
    except Exception as error:
        if jobs.runs_left() and is_infrastructure(error):
            log.warning("export %s broke off (%r); it runs again", export_id, error)
            raise
        log.exception("export %s broke off", export_id)
        services.finish(intake.uow(), export_id, "failed", error=BROKE_OFF)
        raise
    finally:
        intake.engine.dispose()


def _take_back(intake, export_id: int) -> None:
    """A second run: the export the first run left running is queued again, for this run."""
    with intake.uow() as uow:
        uow.session.execute(update(ReportExport).where(
            ReportExport.id == export_id, ReportExport.status == "running").values(status="queued"))
        uow.commit()


def export_failed(job, _connection, *_exc_info) -> None:
    """rq's failure hook: once no run is left (the worker died each time, or the export broke
    off), the export ends failed, saying why."""
    if job.retries_left:
        return
    log.warning("export %s failed for good: %s", job.args[0], job.id)
    intake = bootstrap(from_env())
    try:
        services.finish(intake.uow(), job.args[0], "failed", error=BROKE_OFF)
    finally:
        intake.engine.dispose()


def fail_stalled_exports(now: datetime | None = None) -> int:
    """The scheduler's sweep: an export unfinished for longer than all its runs can take has
    broken off (its job lost with Redis, or its worker gone for good); it ends failed."""
    stalled_before = (now or clock.now()) - timedelta(
        seconds=jobs.longest_run(TIMEOUT_SECONDS) + STALL_MARGIN)
    intake = bootstrap(from_env())
    try:
        with intake.uow() as uow:
            failed = uow.session.execute(update(ReportExport).where(
                ReportExport.status.in_(UNFINISHED), ReportExport.created_at < stalled_before)
                .values(status="failed", error=BROKE_OFF, finished_at=clock.now())).rowcount
            uow.commit()
    finally:
        intake.engine.dispose()
    if failed:
        log.warning("%d stalled exports marked failed", failed)
    return failed


class Enqueuer:
    """Puts export jobs on the rq queue; connects to Redis on first use, not at start."""

    def __init__(self, jobs: Jobs):
        self.jobs = jobs

    def __call__(self, export_id: int) -> None:
        self.jobs.enqueue(JOB, export_id, timeout=TIMEOUT_SECONDS,
                          description=f"report export #{export_id}", retry=True, on_failure=FAILED)


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
    """Have rq's cron scheduler refresh the summary tables every minute, rebuild them daily, and
    look for stalled exports every quarter of an hour."""
    scheduler.register(refresh_tallies, interval=EVERY_MINUTE, name="report-tallies-refresh")
    scheduler.register(rebuild_tallies, interval=DAILY, name="report-tallies-rebuild")
    scheduler.register(fail_stalled_exports, interval=STALL_MARGIN, name="stalled-exports")
