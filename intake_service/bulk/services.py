"""The bulk import's handlers: plain functions taking a command and a unit of work.

``start_import`` runs in the web request: it refuses what is not a filled template
and queues the rest. ``run_import`` runs in the rq job, in short transactions of
its own so the progress bar moves, and ends in one of two ways: every row is
created (drafts, or submitted with their outbox events) in a single commit, or
nothing is written and every bad row is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from uuid import uuid4

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake_service.accounts.services import identity_of
from intake_service.accounts.tables import User
from intake_service.bulk import reader
from intake_service.bulk.rows import COLUMNS, RowError, Vocabulary, check_row
from intake_service.bulk.tables import UNFINISHED, Import
from intake_service.submissions import services
from shared import clock
from shared.errors import NotFound, NotPermitted
from shared.identity import Identity, is_submitter
from shared.text import normalise
from shared.uow import UnitOfWork

PROGRESS_EVERY = 25  # rows validated between two updates of the progress bar
ONLY_SUBMITTERS = _l("Only a unit's submitter may import registrations.")
FILE_GONE = _l("The uploaded file is no longer there; upload it again.")


@dataclass(frozen=True)
class StartImport:
    user: Identity
    filename: str
    data: bytes
    and_submit: bool  # submit each registration for review, not only save it as a draft
    directory: Path


@dataclass(frozen=True)
class RunImport:
    import_id: int
    directory: Path


def check_submitter(user: Identity) -> None:
    """Only a unit's submitter imports, as only they register; nobody imports for them."""
    if not is_submitter(user):
        raise NotPermitted()


def start_import(cmd: StartImport, uow: UnitOfWork) -> Import:
    """Keep a readable, filled template on disk and queue its import; refuse anything else."""
    check_submitter(cmd.user)
    rows = reader.read_rows(cmd.data)
    stored_name = f"{uuid4().hex}.xlsx"
    cmd.directory.mkdir(parents=True, exist_ok=True)
    (cmd.directory / stored_name).write_bytes(cmd.data)
    job = Import(user_id=cmd.user.id, filename=_display_name(cmd.filename), stored_name=stored_name,
                 and_submit=cmd.and_submit, status="queued", total=len(rows), processed=0,
                 created=0, errors=[])
    uow.session.add(job)
    uow.commit()
    return job


def _display_name(filename: str) -> str:
    return normalise(PurePath(filename.replace("\\", "/")).name)[:255] or "import.xlsx"


def run_import(cmd: RunImport, uow: UnitOfWork, spelled: Vocabulary) -> str:
    """Import a queued workbook, opening ``uow`` once per step; a second run finds it claimed."""
    if not _claim(uow, cmd.import_id):
        return "skipped"
    user, path, and_submit = _work(uow, cmd)
    try:
        return _import(uow, cmd.import_id, user, path, and_submit, spelled)
    finally:
        path.unlink(missing_ok=True)


def _claim(uow: UnitOfWork, import_id: int) -> bool:
    with uow:
        claimed = uow.session.execute(
            update(Import).where(Import.id == import_id, Import.status == "queued")
            .values(status="running", started_at=clock.now(), updated_at=clock.now())).rowcount == 1
        uow.commit()
    return claimed


def _work(uow: UnitOfWork, cmd: RunImport) -> tuple[Identity, Path, bool]:
    with uow:
        job = uow.session.get(Import, cmd.import_id)
        user = identity_of(uow.session.get(User, job.user_id))
        return user, cmd.directory / job.stored_name, job.and_submit


def _import(uow: UnitOfWork, import_id: int, user: Identity, path: Path, and_submit: bool,
            spelled: Vocabulary) -> str:
    if not is_submitter(user):  # the role may have changed since the upload
        return _finish(uow, import_id, "failed", [RowError(None, None, str(ONLY_SUBMITTERS))])
    try:
        rows = reader.read_rows(path.read_bytes())
    except FileNotFoundError:
        return _finish(uow, import_id, "failed", [RowError(None, None, str(FILE_GONE))])
    except reader.BadWorkbook as bad:
        return _finish(uow, import_id, "failed", [RowError(None, None, str(bad.message))])
    registrations, errors = _check_all(uow, import_id, rows, user, spelled)
    if errors:
        return _finish(uow, import_id, "rejected", errors)
    with uow:
        saving = HeldCommits(uow)
        for data in registrations:
            services.save_draft(services.SaveDraft(user, data, and_submit=and_submit,
                                                   correlation_id=f"import-{import_id}"), saving)
        _mark(uow.session, import_id, "done", created=len(registrations))
        uow.commit()
    return "done"


def _check_all(uow: UnitOfWork, import_id: int, rows, user: Identity,
               spelled: Vocabulary) -> tuple[list[dict], list[RowError]]:
    registrations: list[dict] = []
    errors: list[RowError] = []
    for start in range(0, len(rows), PROGRESS_EVERY):
        for row in rows[start:start + PROGRESS_EVERY]:
            data, problems = check_row(row, user, spelled)
            errors += problems
            if data is not None:
                registrations.append(data)
        with uow:
            uow.session.execute(update(Import).where(Import.id == import_id).values(
                total=len(rows), processed=min(start + PROGRESS_EVERY, len(rows)),
                updated_at=clock.now()))
            uow.commit()
    return registrations, errors


class HeldCommits(UnitOfWork):
    """The job's unit of work as each save sees it: a commit only flushes, so all land in one."""

    def __init__(self, outer: UnitOfWork):
        super().__init__(outer.sessions, outer.outbox)
        self.session = outer.session

    def commit(self) -> None:
        self.session.flush()


def _finish(uow: UnitOfWork, import_id: int, status: str, errors: list[RowError]) -> str:
    with uow:
        _mark(uow.session, import_id, status, errors=errors)
        uow.commit()
    return status


def fail(uow: UnitOfWork, import_id: int, message) -> None:
    """Mark an import that could not start, or broke off, as failed, so its page stops waiting."""
    with uow:
        uow.session.execute(update(Import).where(Import.id == import_id,
                                                 Import.status.in_(UNFINISHED))
                            .values(status="failed", errors=[RowError(None, None, str(message))
                                                             .as_dict()],
                                    finished_at=clock.now(), updated_at=clock.now()))
        uow.commit()


def fail_abandoned(uow: UnitOfWork, stalled_before: datetime, message) -> int:
    """Fail the imports nobody works on any more: queued or running, untouched since
    ``stalled_before`` (a worker killed mid-job, a queue lost with its Redis). Returns how many."""
    with uow:
        failed = uow.session.execute(
            update(Import).where(Import.status.in_(UNFINISHED), Import.updated_at < stalled_before)
            .values(status="failed", errors=[RowError(None, None, str(message)).as_dict()],
                    finished_at=clock.now(), updated_at=clock.now())).rowcount
        uow.commit()
    return failed


def _mark(session: Session, import_id: int, status: str, created: int = 0,
          errors: Sequence[RowError] = ()) -> None:
    order = list(COLUMNS)
    ordered = sorted(errors, key=lambda e: (e.row or 0, order.index(e.field) if e.field else -1))
    session.execute(update(Import).where(Import.id == import_id).values(
        status=status, created=created, errors=[e.as_dict() for e in ordered],
        finished_at=clock.now(), updated_at=clock.now()))


def recent_imports(session: Session, user: Identity, limit: int = 20) -> list[Import]:
    """The user's own imports, newest first."""
    query = select(Import).where(Import.user_id == user.id).order_by(Import.id.desc()).limit(limit)
    return list(session.scalars(query))


def get_own(session: Session, user: Identity, import_id: int) -> Import:
    """One of the user's own imports; anyone else's is not found."""
    job = session.get(Import, import_id)
    if job is None or job.user_id != user.id:
        raise NotFound()
    return job
