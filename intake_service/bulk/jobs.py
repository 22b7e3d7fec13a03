"""The rq job of the bulk import, and how the web app queues it.

The job is safe to run twice, or twice at once: it claims its import with an
UPDATE that only a queued import matches, so a second run finds nothing to do. A worker that
dies under it has rq run it again (``shared.jobs``): that run takes back the import the first
left running (its rows are written in one transaction, so nothing of it was kept). Once no run
is left the import ends failed with its reason (``import_failed``), as does an import silent
for longer than a job may run (the sweep).
Rows are validated outside any app context, so their messages are stored as the
English msgids and translated into each reader's language when shown.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from intake_service.bootstrap import bootstrap
from intake_service.bulk import rows, services
from intake_service.bulk.tables import Import
from intake_service.directory import places
from shared import clock, jobs
from shared.delivery import is_infrastructure
from shared.jobs import Jobs
from shared.settings import from_env
from shared.translation import in_language

log = logging.getLogger(__name__)
JOB = "intake_service.bulk.jobs.run_import"
FAILED = "intake_service.bulk.jobs.import_failed"
TIMEOUT_SECONDS = 15 * 60
STALL_MARGIN = 15 * 60  # a running import writes its progress far more often than this
BROKE_OFF = _l("The import broke off on our side and nothing was written; please upload the file again.")


def run_import(import_id: int) -> str:
    """Validate and import one uploaded workbook; return how it ended."""
    intake = bootstrap(from_env())
    cmd = services.RunImport(import_id, intake.config.imports.directory)
    try:
        if jobs.attempt() > 1:
            _take_back(intake, import_id)
        with intake.sessions() as db:
            communes = places.communes(db)
        return services.run_import(cmd, intake.uow(), _vocabulary(communes))
    except Exception as error:
        if jobs.runs_left() and is_infrastructure(error):
            log.warning("import %s broke off (%r); it runs again", import_id, error)
            raise
        log.exception("import %s broke off", import_id)
        services.fail(intake.uow(), import_id, BROKE_OFF)
        raise
    finally:
        intake.engine.dispose()


def _take_back(intake, import_id: int) -> None:
    """A second run: the import the first run left running is queued again, for this run."""
    with intake.uow() as uow:
        uow.session.execute(update(Import).where(Import.id == import_id, Import.status == "running")
                            .values(status="queued", updated_at=clock.now()))
        uow.commit()


def import_failed(job, _connection, *_exc_info) -> None:
    """rq's failure hook: once no run is left, the import ends failed, saying why."""
    if job.retries_left:
        return
    intake = bootstrap(from_env())
    try:
        services.fail(intake.uow(), job.args[0], BROKE_OFF)
    finally:
        intake.engine.dispose()


def fail_abandoned_imports() -> int:
    """The scheduler's sweep: an import silent for longer than a job may run has broken off."""
    intake = bootstrap(from_env())
    try:
        stalled_before = clock.now() - timedelta(seconds=TIMEOUT_SECONDS + STALL_MARGIN)
        failed = services.fail_abandoned(intake.uow(), stalled_before, BROKE_OFF)
    finally:
        intake.engine.dispose()
    if failed:
        log.warning("%d abandoned imports marked failed", failed)
    return failed


def register(scheduler) -> None:
    """Have rq's cron scheduler look for abandoned imports every quarter of an hour."""
    scheduler.register(fail_abandoned_imports, interval=STALL_MARGIN,
                       name="abandoned-imports")


def _vocabulary(communes: dict[str, str]) -> rows.Vocabulary:
    """Choices as they may be written, in every language of the interface."""
    from shared.web import LANGUAGES

    with in_language():
        return rows.vocabulary(LANGUAGES, communes)


class Enqueuer:
    """Puts import jobs on the rq queue; connects to Redis on first use, not at start."""

    def __init__(self, jobs: Jobs):
        self.jobs = jobs

    def __call__(self, import_id: int) -> None:
        self.jobs.enqueue(JOB, import_id, timeout=TIMEOUT_SECONDS,
                          description=f"import of registrations #{import_id}", retry=True,
                          on_failure=FAILED)
