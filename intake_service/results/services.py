"""Result reports' handlers: plain functions taking a command and a unit of work.

A result report is a submission of its own (kind "result_report") about an approved
model and one reporting period; it is reviewed like any submission. Its figures are
kept exactly, its evidence files under the configured folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from intake_service.periods.tables import Period
from intake_service.reporting import tallies
from intake_service.results import evidence
from intake_service.results.tables import Evidence, ReportFigure
from intake_service.submissions import domain
from intake_service.submissions.domain import Status
from intake_service.submissions.services import get_visible, own_submission, record, send_for_review
from intake_service.submissions.tables import Submission
from shared import clock
from shared.catalog import INDICATORS
from shared.errors import InvalidInput, NotFound
from shared.identity import Identity
from shared.uow import UnitOfWork

COPIED = ("title", "title_key", "field", "subject_type", "commune_code", *domain.DETAILS)
MAX_FILES = 20  # per report: enough evidence for any model, not a photo album


@dataclass(frozen=True)
class SaveReport:
    user: Identity
    data: dict  # period_id, narrative, one Decimal (or None) per indicator code
    model_id: int | None = None  # a new report on this model...
    report_id: int | None = None  # ...or changes to a draft or returned one
    and_submit: bool = False
    correlation_id: str = ""


@dataclass(frozen=True)
class AddEvidence:
    user: Identity
    report_id: int
    filename: str
    content: bytes


@dataclass(frozen=True)
class RemoveEvidence:
    user: Identity
    evidence_id: int


def report_periods(session: Session) -> list[Period]:
    """The open periods that ask for results, newest deadline first."""
    return list(session.scalars(select(Period).where(
        Period.due_reports.is_(True), Period.closed_at.is_(None)).order_by(Period.deadline.desc())))


def _reports_in_period(session: Session, model_id: int, period_id: int, besides: int | None) -> int:
    query = select(func.count()).select_from(Submission).where(
        Submission.kind == "result_report", Submission.model_id == model_id,
        Submission.period_id == period_id, Submission.status != Status.WITHDRAWN)
    if besides is not None:
        query = query.where(Submission.id != besides)
    return session.scalar(query)


def start(session: Session, user: Identity, model_id: int) -> Submission:
    """The model a user may report results on, or an error saying why not."""
    model = own_submission(session, user, model_id, "registration")
    domain.check_reportable(model.kind, Status(model.status), 0)
    return model


def save_report(cmd: SaveReport, uow: UnitOfWork) -> Submission:
    """Create or change a result report: one per model and period."""
    session = uow.session
    if cmd.report_id is None:  # whose model it is comes first, then what was typed
        model = start(session, cmd.user, cmd.model_id)
    else:
        report = own_submission(session, cmd.user, cmd.report_id, "result_report")
        domain.check_editable(Status(report.status))
        model = report.model
    period = session.get(Period, cmd.data["period_id"])
    if period is None or not period.due_reports:
        raise InvalidInput({"period_id": [str(_l("Choose a reporting period from the list."))]})
    if cmd.report_id is None:
        report = Submission(kind="result_report", model=model, submitter_id=cmd.user.id,
                            status=Status.DRAFT)
        for name in COPIED:
            setattr(report, name, getattr(model, name))
        session.add(report)
        record(report, cmd.user.name, Status.DRAFT, from_status="")
    domain.check_reportable(model.kind, Status(model.status),
                            _reports_in_period(session, model.id, period.id, report.id))
    tallies.note_leaving(session, report, period.id, report.commune_code)
    report.period_id, report.narrative = period.id, cmd.data.get("narrative")
    report.updated_at = clock.now()
    session.flush()
    session.execute(delete(ReportFigure).where(ReportFigure.submission_id == report.id))
    session.add_all(ReportFigure(submission_id=report.id, code=code, value=cmd.data[code])
                    for code in INDICATORS if cmd.data.get(code) is not None)
    if cmd.and_submit:
        session.flush()
        send_for_review(report, cmd.user, cmd.correlation_id, uow)
    uow.commit()
    return report


def figures(session: Session, report_id: int) -> dict:
    """A report's figures by indicator code, in the catalogue's order."""
    rows = {f.code: f.value for f in session.scalars(
        select(ReportFigure).where(ReportFigure.submission_id == report_id))}
    return {code: rows[code] for code in INDICATORS if code in rows}


def files(session: Session, report_id: int) -> list[Evidence]:
    return list(session.scalars(select(Evidence).where(
        Evidence.submission_id == report_id, Evidence.deleted_at.is_(None)).order_by(Evidence.id)))


def reports_of(session: Session, model_id: int) -> list[Submission]:
    return list(session.scalars(select(Submission).where(
        Submission.kind == "result_report", Submission.model_id == model_id,
    ).order_by(Submission.id.desc())))


def add_evidence(cmd: AddEvidence, uow: UnitOfWork, store: evidence.Store,
                 max_bytes: int) -> Evidence:
    """Keep one evidence file of a draft or returned report (raises ``evidence.Refused``)."""
    report = own_submission(uow.session, cmd.user, cmd.report_id, "result_report")
    domain.check_editable(Status(report.status))
    if len(files(uow.session, report.id)) >= MAX_FILES:
        raise evidence.Refused("too_many")
    checked = evidence.check(cmd.content, max_bytes)
    stored_as = store.save(cmd.content, checked.extension)
    item = Evidence(submission_id=report.id, filename=_display_name(cmd.filename, checked.extension),
                    content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                    stored_as=stored_as, uploaded_by=cmd.user.id, uploaded_at=clock.now())
    uow.session.add(item)
    report.updated_at = clock.now()
    uow.commit()
    return item


def _display_name(filename: str, extension: str) -> str:
    """The user's name for the file, without any folder, and with the extension its content has."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "file"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}.{extension}"


def remove_evidence(cmd: RemoveEvidence, uow: UnitOfWork) -> Evidence:
    """Take a file off a draft or returned report (it stays on disk for the audit)."""
    item = uow.session.get(Evidence, cmd.evidence_id)
    if item is None or item.deleted_at is not None:
        raise NotFound()
    report = own_submission(uow.session, cmd.user, item.submission_id, "result_report")
    domain.check_editable(Status(report.status))
    item.deleted_at = clock.now()
    uow.commit()
    return item


def visible_evidence(session: Session, user: Identity, evidence_id: int) -> Evidence:
    """A file whoever may see its report may download."""
    item = session.get(Evidence, evidence_id)
    if item is None or item.deleted_at is not None:
        raise NotFound()
    get_visible(session, user, item.submission_id)
    return item


def thumbnail_made(session: Session, evidence_id: int, store: evidence.Store) -> str | None:
    """Make an image's thumbnail (the worker's job); None for a file that is not an image."""
    item = session.get(Evidence, evidence_id)
    if item is None or not item.is_image:
        return None
    if item.thumbnail is None:
        item.thumbnail = store.make_thumbnail(item.stored_as)
        session.commit()
    return item.thumbnail


def missing_thumbnails(session: Session, limit: int = 100) -> list[int]:
    return list(session.scalars(select(Evidence.id).where(
        Evidence.thumbnail.is_(None), Evidence.deleted_at.is_(None),
        Evidence.content_type.in_(list(evidence.IMAGES))).limit(limit)))

