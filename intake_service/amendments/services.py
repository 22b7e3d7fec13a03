"""Amendments: a unit asks to change an approved model's name, field or targets, with a reason.

An amendment is a submission of its own (kind "amendment") about the model: it is
reviewed like any submission, and only when finally approved does the model change
(see ``services.on_decision_recorded``). Until then the approved values stand.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake_service.submissions import domain
from intake_service.submissions.domain import Status
from intake_service.submissions.services import get_visible, own_submission, record, send_for_review
from intake_service.submissions.tables import Submission
from shared import clock
from shared.identity import Identity
from shared.text import search_key
from shared.uow import UnitOfWork

# What an amendment copies from its model so that reviewers see whose model it is.
COPIED = ("subject_type", "commune_code", "period_id", *domain.DETAILS)


@dataclass(frozen=True)
class SaveAmendment:
    user: Identity
    data: dict  # title, field, objectives, reason
    model_id: int | None = None  # a new amendment of this model...
    amendment_id: int | None = None  # ...or changes to a draft or returned one
    and_submit: bool = False
    correlation_id: str = ""


def approved_values(model: Submission) -> dict:
    """The model's values an amendment may change, as approved."""
    return {name: getattr(model, name) for name in domain.AMENDABLE}


def open_amendments(session: Session, model_id: int, besides: int | None = None) -> int:
    query = select(func.count()).select_from(Submission).where(
        Submission.kind == "amendment", Submission.model_id == model_id,
        Submission.status.not_in([s.value for s in domain.FINAL]))
    if besides is not None:
        query = query.where(Submission.id != besides)
    return session.scalar(query)


def amendments_of(session: Session, model_id: int) -> list[Submission]:
    return list(session.scalars(select(Submission).where(
        Submission.kind == "amendment", Submission.model_id == model_id,
    ).order_by(Submission.id.desc())))


def start(session: Session, user: Identity, model_id: int) -> Submission:
    """The model a user may amend now, or an error saying why not."""
    model = own_submission(session, user, model_id, "registration")
    domain.check_amendable(model.kind, Status(model.status), open_amendments(session, model.id))
    return model


def save_amendment(cmd: SaveAmendment, uow: UnitOfWork) -> Submission:
    """Create or change an amendment; it must change something, and says why."""
    if cmd.amendment_id is None:
        model = start(uow.session, cmd.user, cmd.model_id)
        amendment = Submission(kind="amendment", model=model, submitter_id=cmd.user.id,
                               status=Status.DRAFT, field=model.field, title=model.title)
        for name in COPIED:
            setattr(amendment, name, getattr(model, name))
        uow.session.add(amendment)
        record(amendment, cmd.user.name, Status.DRAFT, from_status="")
    else:
        amendment = own_submission(uow.session, cmd.user, cmd.amendment_id, "amendment")
        domain.check_editable(Status(amendment.status))
        model = amendment.model
    proposed = {name: cmd.data.get(name) for name in domain.AMENDABLE}
    domain.amendment_changes(approved_values(model), proposed)  # raises NothingChanged
    for name, value in proposed.items():
        setattr(amendment, name, value)
    amendment.title_key = search_key(amendment.title)
    amendment.reason = cmd.data["reason"]
    amendment.previous = approved_values(model)
    amendment.updated_at = clock.now()
    if cmd.and_submit:
        uow.session.flush()
        send_for_review(amendment, cmd.user, cmd.correlation_id, uow)
    uow.commit()
    return amendment


def changes(session: Session, user: Identity, amendment_id: int) -> list[dict]:
    """What an amendment changes: against the values approved when it was written."""
    amendment = get_visible(session, user, amendment_id)
    proposed = {name: getattr(amendment, name) for name in domain.AMENDABLE}
    try:
        return domain.amendment_changes(amendment.previous or {}, proposed)
    except domain.NothingChanged:
        return []
