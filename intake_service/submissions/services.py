"""Intake's handlers: plain functions taking a command (or event) and a unit of work.

The web views and the API translate input into a command and call one of
these; the consumer does the same for events coming back from review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from intake_service.directory import places
from intake_service.periods.domain import local_date
from intake_service.periods.tables import Period
from intake_service.reporting import tallies
from intake_service.results.tables import Evidence, ReportFigure
from intake_service.submissions import domain
from intake_service.submissions.domain import Status
from intake_service.submissions.tables import HistoryEntry, Submission
from shared import clock, events
from shared.errors import InvalidInput, NotFound, NotPermitted
from shared.identity import Identity, is_admin, is_submitter, reads_commune, reads_district
from shared.text import normalise, search_key
from shared.uow import UnitOfWork

PRODUCER = "intake"
UNKNOWN_COMMUNE = _l("Choose a commune from the list.")
AMENDED = "amended"  # a history entry of a model changed by an approved amendment


@dataclass(frozen=True)
class SaveDraft:
    user: Identity
    data: dict
    submission_id: int | None = None
    and_submit: bool = False  # save and send for review in one transaction
    correlation_id: str = ""


@dataclass(frozen=True)
class Submit:
    user: Identity
    submission_id: int
    correlation_id: str = field(default="")


@dataclass(frozen=True)
class Withdraw:
    user: Identity
    submission_id: int


def record(submission: Submission, actor: str, to: Status, comment: str | None = None,
           from_status: str | None = None, at: datetime | None = None,
           stage: str | None = None) -> None:
    # Linked from the entry's side, so appending never loads the whole history.
    object_session(submission).add(HistoryEntry(
        submission=submission,
        actor_name=actor,
        from_status=from_status if from_status is not None else submission.status,
        to_status=to,
        stage=stage or submission.stage,
        comment=comment,
        at=at or clock.now(),
    ))


def can_view(user: Identity, submission: Submission) -> bool:
    """A unit sees its own submissions; reviewers see those of their commune or district."""
    if is_admin(user):
        return True
    if is_submitter(user):
        return submission.submitter_id == user.id
    if reads_commune(user):
        return submission.commune_code == user.scope
    where = places.place(object_session(submission), submission.commune_code)
    return where is not None and where.parent_code == user.scope


def get_visible(session: Session, user: Identity, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None or not can_view(user, submission):
        raise NotFound()
    return submission


def own_submission(session: Session, user: Identity, submission_id: int,
                   kind: str | None = None) -> Submission:
    """The user's own submission (of ``kind``, when given), or NotFound / NotPermitted."""
    submission = get_visible(session, user, submission_id)
    if kind is not None and submission.kind != kind:
        raise NotFound()
    if submission.submitter_id != user.id:
        raise NotPermitted()
    return submission


def _check_commune(user: Identity, commune_code: str) -> None:
    if is_submitter(user) and commune_code != user.scope:
        raise NotPermitted()


def save_draft(cmd: SaveDraft, uow: UnitOfWork) -> Submission:
    """Create a draft registration, or update a draft or returned one."""
    if not is_submitter(cmd.user):
        raise NotPermitted()
    if places.place(uow.session, cmd.data["commune_code"]) is None:
        raise InvalidInput({"commune_code": [str(UNKNOWN_COMMUNE)]})
    _check_commune(cmd.user, cmd.data["commune_code"])
    if cmd.submission_id is None:
        period = registration_period(uow.session)
        submission = Submission(submitter_id=cmd.user.id, status=Status.DRAFT, kind="registration",
                                period_id=period.id if period else None)
        uow.session.add(submission)
        record(submission, cmd.user.name, Status.DRAFT, from_status="")
    else:
        submission = own_submission(uow.session, cmd.user, cmd.submission_id, "registration")
        domain.check_editable(Status(submission.status))
        tallies.note_leaving(uow.session, submission, submission.period_id, cmd.data["commune_code"])
    for name in ("title", "field", "subject_type", "commune_code"):
        setattr(submission, name, cmd.data[name])
    for name in domain.DETAILS:
        setattr(submission, name, cmd.data.get(name))
    submission.title_key = search_key(submission.title)
    submission.updated_at = clock.now()
    if cmd.and_submit:
        uow.session.flush()
        send_for_review(submission, cmd.user, cmd.correlation_id, uow)
    uow.commit()
    return submission


def submit(cmd: Submit, uow: UnitOfWork) -> Submission:
    """Send a draft (or a fixed returned submission) for review, announcing it through the outbox."""
    submission = own_submission(uow.session, cmd.user, cmd.submission_id)
    send_for_review(submission, cmd.user, cmd.correlation_id, uow)
    uow.commit()
    return submission


def send_for_review(submission: Submission, user: Identity, correlation_id: str, uow: UnitOfWork) -> None:
    domain.check_submittable(Status(submission.status))
    record(submission, user.name, Status.SUBMITTED)
    submission.status = Status.SUBMITTED
    submission.version += 1
    submission.updated_at = clock.now()
    uow.emit(_submitted_event(submission, user, correlation_id))


def _submitted_event(submission: Submission, user: Identity, correlation_id: str) -> events.Event:
    where = places.place(object_session(submission), submission.commune_code)
    return events.Event(
        type=events.SUBMISSION_SUBMITTED,
        producer=PRODUCER,
        aggregate_id=str(submission.id),
        aggregate_version=submission.version,
        version=3,
        correlation_id=correlation_id,
        payload={
            "submission_id": submission.id,
            "kind": submission.kind,
            "title": submission.title,
            "field": submission.field,
            "subject_type": submission.subject_type,
            "commune_code": submission.commune_code,
            "commune_name": where.name,
            "district_code": where.parent_code or where.code,
            "submitter": {"id": user.id, "name": user.name},
            "submitted_at": submission.updated_at,
            "details": {name: getattr(submission, name) for name in domain.DETAILS},
            "model_id": submission.model_id,
            "amendment": _amendment_facts(submission),
            "report": _report_facts(submission),
        },
    )


def _amendment_facts(submission: Submission) -> dict | None:
    if submission.kind != "amendment":
        return None
    proposed = {name: getattr(submission, name) for name in domain.AMENDABLE}
    return {"reason": submission.reason,
            "changes": domain.amendment_changes(submission.previous or {}, proposed)}


def _report_facts(submission: Submission) -> dict | None:
    if submission.kind != "result_report":
        return None
    session = object_session(submission)
    period = session.get(Period, submission.period_id)
    figures = session.scalars(select(ReportFigure).where(
        ReportFigure.submission_id == submission.id).order_by(ReportFigure.id))
    files = session.scalars(select(Evidence).where(
        Evidence.submission_id == submission.id, Evidence.deleted_at.is_(None)).order_by(Evidence.id))
    return {
        "period": {"id": period.id, "kind": period.kind, "year": period.year},
        "indicators": [{"code": f.code, "value": f.value} for f in figures],
        "narrative": submission.narrative,
        "evidence": [{"id": e.id, "filename": e.filename, "content_type": e.content_type,
                      "size": e.size} for e in files],
    }


def withdraw(cmd: Withdraw, uow: UnitOfWork) -> Submission:
    """Take a submission back before a final decision."""
    submission = own_submission(uow.session, cmd.user, cmd.submission_id)
    domain.check_withdrawable(Status(submission.status))
    was_sent = submission.status != Status.DRAFT
    record(submission, cmd.user.name, Status.WITHDRAWN)
    submission.status = Status.WITHDRAWN
    submission.version += 1
    submission.updated_at = clock.now()
    if was_sent:
        uow.emit(events.Event(
            type=events.SUBMISSION_WITHDRAWN, producer=PRODUCER,
            aggregate_id=str(submission.id), aggregate_version=submission.version,
            payload={"submission_id": submission.id,
                     "actor": {"id": cmd.user.id, "name": cmd.user.name},
                     "withdrawn_at": submission.updated_at},
        ))
    uow.commit()
    return submission


def registration_period(session: Session, today: date | None = None) -> Period | None:
    """The open period that takes registrations today, if any: new registrations belong to it."""
    today = today or local_date(clock.now())
    return session.scalars(select(Period).where(
        Period.due_registrations.is_(True), Period.closed_at.is_(None), Period.opens_on <= today,
    ).order_by(Period.deadline.desc()).limit(1)).first()


def similar_titles(session: Session, commune_code: str, title: str, period_id: int | None,
                   exclude_id: int | None = None) -> list[Submission]:
    """Registrations of the same commune and period whose names match ignoring accents, case, form."""
    query = select(Submission).where(
        Submission.kind == "registration",
        Submission.commune_code == commune_code,
        Submission.period_id.is_(None) if period_id is None else Submission.period_id == period_id,
        Submission.title_key == search_key(normalise(title)),
        Submission.status != Status.WITHDRAWN,
    )
    if exclude_id is not None:
        query = query.where(Submission.id != exclude_id)
    return list(session.scalars(query.limit(5)))


def my_submissions(session: Session, user: Identity) -> list[Submission]:
    """A unit's own submissions; a reviewer's, those of their commune or district."""
    query = select(Submission).order_by(Submission.updated_at.desc()).limit(200)
    if is_submitter(user):
        query = query.where(Submission.submitter_id == user.id)
    elif reads_commune(user):
        query = query.where(Submission.commune_code == user.scope)
    elif reads_district(user):
        query = query.where(Submission.commune_code.in_(list(places.communes(session, user.scope))))
    return list(session.scalars(query))


# ---- events coming back from review --------------------------------------------------------


def _mirror(uow: UnitOfWork, event: events.Event) -> Submission | None:
    submission = uow.session.get(Submission, event.payload["submission_id"])
    if submission is None or not domain.is_news(submission.review_version, event.aggregate_version):
        return None
    submission.review_version = event.aggregate_version
    return submission


def on_item_opened(event: events.Event, uow: UnitOfWork) -> None:
    """Review opened (or reopened) the item at a stage: the unit sees it in review there, due
    when review says (v2; a v1 announcement names no due time)."""
    submission = _mirror(uow, event)
    if submission is None or Status(submission.status) in domain.FINAL:
        return
    from_status = submission.status
    submission.status = Status.IN_REVIEW
    submission.stage = event.payload["stage"]
    submission.review_due_at = event.payload.get("due_at")
    if from_status not in (Status.SUBMITTED, Status.IN_REVIEW):  # it is waiting again: a change reports count
        submission.updated_at = clock.now()
    record(submission, "", Status.IN_REVIEW, from_status=from_status,
            at=event.payload["opened_at"])


def on_decision_recorded(event: events.Event, uow: UnitOfWork) -> None:
    """A reviewer decided: mirror the new status, the stage, its due time and the comment."""
    submission = _mirror(uow, event)
    if submission is None:
        return
    payload = event.payload
    from_status = submission.status
    submission.status = domain.status_after_review(payload["outcome"], Status(from_status))
    submission.stage = payload["to_stage"] or payload["from_stage"]
    # Advanced: the next stage's due time (v2). Decided otherwise, it waits at no stage.
    submission.review_due_at = payload.get("due_at")
    if payload["comment"]:
        submission.last_comment = payload["comment"]
    submission.updated_at = clock.now()
    record(submission, payload["actor"]["name"], Status(submission.status),
           comment=payload["comment"], from_status=from_status, at=payload["decided_at"],
           stage=payload["from_stage"])
    if submission.kind == "amendment" and submission.status == Status.APPROVED:
        _amend_model(submission, payload["actor"]["name"], payload["decided_at"])


def _amend_model(amendment: Submission, actor: str, at: datetime) -> None:
    """An approved amendment changes the model itself; the model's history says so and why."""
    model = amendment.model
    for name in domain.AMENDABLE:
        setattr(model, name, getattr(amendment, name))
    model.title_key = search_key(model.title)
    model.updated_at = clock.now()
    object_session(model).add(HistoryEntry(
        submission=model, actor_name=actor, from_status=model.status, to_status=AMENDED,
        stage=None, comment=amendment.reason, at=at))


EVENT_HANDLERS = {
    events.REVIEW_ITEM_OPENED: on_item_opened,
    events.REVIEW_DECISION_RECORDED: on_decision_recorded,
}
