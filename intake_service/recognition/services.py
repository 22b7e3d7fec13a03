"""What review made of a unit's model: chosen as an exemplar, inspected on site, nominated for an award.

Review owns nominations and inspections. Intake keeps what its users need of them from review's events:
the unit sees the outcome on its model, and the district's report counts them, without either service
reading the other's tables.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_service.notifications.services import tell
from intake_service.recognition.tables import Nomination
from intake_service.submissions.tables import HistoryEntry, Submission
from shared import clock, events
from shared.catalog import INSPECTION_OUTCOMES  # noqa: F401 - the labels its pages show
from shared.uow import UnitOfWork

EXEMPLAR = "exemplar"  # a history entry: the committee chose the model as an exemplar
INSPECTION = "inspection"  # the history "stage" of an inspection; its to_status is the outcome


def nominations_of(db: Session, model: Submission) -> list[Nomination]:
    """The nominations that name a model, newest first."""
    rows = db.scalars(select(Nomination).where(Nomination.commune_code == model.commune_code)
                      .order_by(Nomination.id.desc()))
    return [row for row in rows if model.id in row.model_ids]


def on_exemplar_marked(event: events.Event, uow: UnitOfWork) -> None:
    """The committee chose the model as an exemplar: its page and history say so, and its unit is told."""
    payload = event.payload
    model = uow.session.get(Submission, payload["model_id"])
    if model is None or model.exemplar:
        return
    model.exemplar = True
    model.updated_at = clock.now()  # reports count exemplars: their summary sees the change
    uow.session.add(HistoryEntry(submission=model, actor_name=payload["actor"]["name"],
                                 from_status=model.status, to_status=EXEMPLAR, stage="committee",
                                 at=payload["marked_at"]))
    _tell_submitter(uow, model, "model.exemplar", {})


def on_inspection_concluded(event: events.Event, uow: UnitOfWork) -> None:
    """An inspection team concluded on site: the unit sees the outcome and the findings on its model."""
    payload = event.payload
    model = uow.session.get(Submission, payload["model_id"])
    if model is None:
        return
    if model.inspected_at is not None and model.inspected_at >= payload["concluded_at"]:
        return  # a later inspection's outcome is already shown
    model.inspection_outcome = payload["outcome"]
    model.inspection_findings = payload["findings"] or None
    model.inspected_at = payload["concluded_at"]
    model.updated_at = clock.now()
    uow.session.add(HistoryEntry(submission=model, actor_name=payload["team_name"],
                                 from_status=model.status, to_status=payload["outcome"],
                                 stage=INSPECTION, comment=payload["findings"] or None,
                                 at=payload["concluded_at"]))
    _tell_submitter(uow, model, "model.inspected", {"outcome": payload["outcome"]})


def on_nomination_changed(event: events.Event, uow: UnitOfWork) -> None:
    """Keep the nomination's latest state; older news is ignored."""
    payload = event.payload
    found = uow.session.get(Nomination, payload["nomination_id"])
    if found is not None and found.version >= payload["version"]:
        return
    if found is None:
        found = Nomination(id=payload["nomination_id"])
        uow.session.add(found)
    for name in ("model_ids", "subject_type", "subject_name", "award_form", "award_form_name",
                 "level", "status",
                 "commune_code", "district_code", "period_id", "decision_number", "decision_date",
                 "signer", "reason", "version", "changed_at"):
        setattr(found, name, payload[name])


def _tell_submitter(uow: UnitOfWork, model: Submission, key: str, params: dict) -> None:
    tell(uow, model.submitter_id, key, {"title": model.title, "model_id": model.id, **params})


EVENT_HANDLERS = {
    events.EXEMPLAR_MARKED: on_exemplar_marked,
    events.INSPECTION_CONCLUDED: on_inspection_concluded,
    events.NOMINATION_CHANGED: on_nomination_changed,
}
