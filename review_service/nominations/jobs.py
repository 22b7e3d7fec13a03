"""The rq job that makes a dossier's documents, and how the web app queues it.

The job is safe to run twice, or twice at once: it claims its dossier with an UPDATE that only a
queued dossier matches, so a second run finds nothing to do. Progress is written in short
transactions of their own so the page's progress bar moves while the documents are made.
A failure is stored as a code, worded in each reader's language when shown.

A worker that dies under it has rq run it again (``shared.jobs``): that run takes back the dossier
the first left running and makes it from the start. Once no run is left the dossier ends failed
(``dossier_failed``), as does a dossier silent for longer than a job may run (the sweep, every
quarter of an hour).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update

from review_service.bootstrap import bootstrap
from review_service.committee import minutes
from review_service.committee import services as committee
from review_service.committee.tables import CommitteeSession
from review_service.mirrors.directory import OrgUnitCopy
from review_service.nominations import documents, services
from review_service.nominations.tables import UNFINISHED, Dossier, Nomination
from shared import clock, jobs
from shared.days import today_in_vietnam
from shared.delivery import is_infrastructure
from shared.jobs import Jobs
from shared.letterhead import bodies as issuers
from shared.pdf import ConverterMissing
from shared.settings import from_env
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)
JOB = "review_service.nominations.jobs.build_dossier"
FAILED = "review_service.nominations.jobs.dossier_failed"
TIMEOUT_SECONDS = 10 * 60
STALL_MARGIN = 15 * 60  # a running dossier writes its progress far more often than this


def build_dossier(dossier_id: int) -> str:
    """Make one queued dossier's DOCX, PDF and XLSX; return how it ended."""
    review = bootstrap(from_env())
    try:
        if jobs.attempt() > 1:
            _take_back(review.uow(), dossier_id)
        return make(review.uow(), dossier_id, review.config.award_forms,
                    issuers.from_environ(review.config.shared.environ))
    except ConverterMissing as missing:  # retrying cannot help until LibreOffice is installed
        log.error("dossier %s failed: %s", dossier_id, missing)
        services.fail_dossier(review.uow(), dossier_id, "no_pdf_converter")
        return "failed"
    except Exception as error:
        if jobs.runs_left() and is_infrastructure(error):
            log.warning("dossier %s broke off (%r); it runs again", dossier_id, error)
            raise
        log.exception("dossier %s broke off", dossier_id)
        services.fail_dossier(review.uow(), dossier_id, "broke_off")
        raise
    finally:
        review.engine.dispose()


def _take_back(uow: UnitOfWork, dossier_id: int) -> None:
    """A second run: the dossier the first run left running is queued again, from the start."""
    with uow:
        uow.session.execute(update(Dossier).where(Dossier.id == dossier_id,
                                                  Dossier.status == "running")
                            .values(status="queued", processed=0, updated_at=clock.now()))
        uow.commit()


def dossier_failed(job, _connection, *_exc_info) -> None:
    """rq's failure hook: once no run is left, the dossier ends failed, saying why."""
    if job.retries_left:
        return
    review = bootstrap(from_env())
    try:
        services.fail_dossier(review.uow(), job.args[0], "broke_off")
    finally:
        review.engine.dispose()


def fail_stalled_dossiers(now: datetime | None = None) -> int:
    """The scheduler's sweep: a dossier unfinished and silent for longer than a job may run has
    broken off (its job lost, or its worker gone for good); it ends failed."""
    stalled_before = (now or clock.now()) - timedelta(seconds=TIMEOUT_SECONDS + STALL_MARGIN)
    review = bootstrap(from_env())
    try:
        with review.uow() as uow:
            failed = uow.session.execute(update(Dossier).where(
                Dossier.status.in_(UNFINISHED), Dossier.updated_at < stalled_before)
                .values(status="failed", error="broke_off", finished_at=clock.now(),
                        updated_at=clock.now())).rowcount
            uow.commit()
    finally:
        review.engine.dispose()
    if failed:
        log.warning("%d stalled dossiers marked failed", failed)
    return failed


def register(scheduler) -> None:
    """Have rq's cron scheduler look for stalled dossiers every quarter of an hour."""
    scheduler.register(fail_stalled_dossiers, interval=STALL_MARGIN, name="stalled-dossiers")


def make(uow: UnitOfWork, dossier_id: int, forms, bodies=None) -> str:
    """Claim the dossier, make its files step by step, and keep them."""
    if not _claim(uow, dossier_id):
        return "skipped"
    with uow.sessions() as db:
        dossier = db.get(Dossier, dossier_id)
        chosen = list(db.scalars(select(Nomination).where(
            Nomination.id.in_(dossier.nomination_ids)).order_by(Nomination.id)))
        people = documents.nominees(chosen, lambda n: services.results_of(db, n), forms)
        parts = [minutes.build(session, committee.voters(session), bodies)
                 for session in _sessions(db, chosen)]
        district = db.get(OrgUnitCopy, dossier.district_code)
        _advance(uow, dossier_id)  # the letter and the minutes
        files = documents.build(people, parts, district.name if district else "", today_in_vietnam(),
                                progress=lambda: _advance(uow, dossier_id),
                                district_code=dossier.district_code, bodies=bodies)
    with uow:
        uow.session.execute(update(Dossier).where(Dossier.id == dossier_id).values(
            status="done", docx=files.docx, pdf=files.pdf, xlsx=files.xlsx,
            processed=Dossier.total, finished_at=clock.now(), updated_at=clock.now()))
        uow.commit()
    return "done"


def _sessions(db, chosen: list[Nomination]) -> list[CommitteeSession]:
    numbers = sorted({n.session_id for n in chosen if n.session_id is not None})
    return list(db.scalars(select(CommitteeSession).where(CommitteeSession.id.in_(numbers))
                           .order_by(CommitteeSession.meeting_date, CommitteeSession.id)))


def _claim(uow: UnitOfWork, dossier_id: int) -> bool:
    with uow:
        claimed = uow.session.execute(
            update(Dossier).where(Dossier.id == dossier_id, Dossier.status == "queued")
            .values(status="running", updated_at=clock.now())).rowcount == 1
        uow.commit()
    return claimed


def _advance(uow: UnitOfWork, dossier_id: int) -> None:
    with uow:
        uow.session.execute(update(Dossier).where(Dossier.id == dossier_id).values(
            processed=Dossier.processed + 1, updated_at=clock.now()))
        uow.commit()


class Enqueuer:
    """Puts dossier jobs on the rq queue; connects to Redis on first use, not at start."""

    def __init__(self, jobs: Jobs):
        self.jobs = jobs

    def __call__(self, dossier_id: int) -> None:
        self.jobs.enqueue(JOB, dossier_id, timeout=TIMEOUT_SECONDS,
                          description=f"award dossier #{dossier_id}", retry=True,
                          on_failure=FAILED)
