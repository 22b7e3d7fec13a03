"""An inspector's work on a task: the checklist kept as they type, evidence files, the conclusion.

The conclusion is one transaction: the task concluded, its audit row, the
``review.inspection.concluded`` event in the outbox and, for a nominated model, the
nomination told: the domain event ``InspectionConcluded``, which the bootstrap has the
nominations handle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from review_service.inspections import domain, queries, services
from review_service.inspections.domain import InspectionConcluded, Outcome, TaskStatus
from review_service.inspections.tables import InspectionEvidence, InspectionTask
from review_service.uow import UnitOfWork
from shared import clock, events, uploads
from shared.errors import NotFound
from shared.identity import Identity
from shared.text import normalise

PRODUCER = "review"
MAX_FILES = 20  # per task: enough to show a model, not an album
MAX_FIELD_CHARS = domain.MAX_FINDINGS


@dataclass(frozen=True)
class Conclude:
    user: Identity
    task_id: int
    outcome: str
    findings: str
    answers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AddEvidence:
    user: Identity
    task_id: int
    filename: str
    content: bytes


def store_for(evidence_dir: Path) -> uploads.Store:
    """Inspection evidence is kept in its own folder below ``DVK_EVIDENCE_DIR``."""
    return uploads.Store(evidence_dir / "inspections")


def _workable(uow: UnitOfWork, user: Identity, task_id: int) -> InspectionTask:
    task = queries.get_task(uow.session, user, task_id)
    domain.check_inspector(user, task.inspector_ids)
    domain.check_open(task.status)
    return task


def form_fields(criteria: Mapping[str, object]) -> frozenset[str]:
    return frozenset({"outcome", "findings"} | {f"check_{code}" for code in criteria})


def autosave(uow: UnitOfWork, user: Identity, task_id: int, values: Mapping[str, str],
             criteria: Mapping[str, object]) -> datetime:
    """Keep what the inspector has typed so far on the task; return when it was kept."""
    task = _workable(uow, user, task_id)
    allowed = form_fields(criteria)
    task.draft = {name: normalise(str(value))[:MAX_FIELD_CHARS] if name != "findings"
                  else str(value)[:MAX_FIELD_CHARS]
                  for name, value in values.items() if name in allowed}
    task.draft_at = clock.now()
    uow.commit()
    return task.draft_at


def add_evidence(cmd: AddEvidence, uow: UnitOfWork, store: uploads.Store,
                 max_bytes: int) -> InspectionEvidence:
    """Keep a photo or document as evidence of an open task (raises ``uploads.Refused``)."""
    task = _workable(uow, cmd.user, cmd.task_id)
    if len(task.evidence) >= MAX_FILES:
        raise uploads.Refused("too_many")
    checked = uploads.check(cmd.content, max_bytes)
    kept = InspectionEvidence(
        task=task, filename=uploads.display_name(cmd.filename, checked.extension),
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        stored_as=store.save(cmd.content, checked.extension), uploaded_by=cmd.user.id,
        uploaded_at=clock.now())
    uow.session.add(kept)
    uow.session.flush()
    services.audit(uow.session, task, cmd.user, "evidence", task.status, kept.filename)
    uow.commit()
    return kept


def visible_evidence(db: Session, user: Identity, evidence_id: int) -> InspectionEvidence:
    """A file whoever may see its task may download."""
    kept = db.get(InspectionEvidence, evidence_id)
    if kept is None:
        raise NotFound()
    queries.get_task(db, user, kept.task_id)
    return kept


def conclude(cmd: Conclude, uow: UnitOfWork, criteria: Mapping[str, object]) -> InspectionTask:
    """Record the checklist, the findings and the outcome, and announce the conclusion."""
    task = _workable(uow, cmd.user, cmd.task_id)
    findings = cmd.findings.strip()
    answers = {code: cmd.answers.get(code, "") for code in criteria}
    domain.check_conclusion(cmd.outcome, findings, answers, list(criteria))
    from_status = task.status
    task.checklist, task.findings, task.outcome = answers, findings, Outcome(cmd.outcome)
    task.status, task.concluded_by, task.concluded_at = TaskStatus.CONCLUDED, cmd.user.name, clock.now()
    task.draft, task.draft_at = None, None
    task.version += 1
    services.audit(uow.session, task, cmd.user, "concluded", from_status, task.outcome)
    uow.emit(_concluded_event(task, cmd.user))
    uow.raise_event(InspectionConcluded(  # a nominated model's nomination moves on (or back)
        task_id=task.id, nomination_id=task.nomination_id, outcome=str(task.outcome),
        findings=task.findings or "", actor=cmd.user))
    uow.commit()
    return task


def _concluded_event(task: InspectionTask, actor: Identity) -> events.Event:
    return events.Event(
        type=events.INSPECTION_CONCLUDED, producer=PRODUCER,
        aggregate_id=f"inspection:{task.id}", aggregate_version=task.version,
        payload={"task_id": task.id, "model_id": task.model_id, "period_id": task.plan.period_id,
                 "nomination_id": task.nomination_id, "outcome": str(task.outcome),
                 "findings": task.findings or "", "team_name": task.team.name,
                 "actor": {"id": actor.id, "name": actor.name},
                 "concluded_at": task.concluded_at})
