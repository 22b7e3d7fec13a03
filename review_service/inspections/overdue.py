"""Overdue inspections: a task past its due time is flagged on the lists and escalated once.

Like review's own deadlines (``review_service.queue.deadlines``), an hourly rq cron job applies
the rule; escalation here means an audit row, the task on the district's list of
escalated inspections (its reviewers and administrators see it on the inspections page), and
an event through which intake tells the task's inspectors and the district's reviewers, in-app
and by email where SMTP is set.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from review_service.bootstrap import bootstrap
from review_service.inspections import domain, services
from review_service.inspections.tables import InspectionTask
from shared import clock, events
from shared.settings import from_env
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)
HOURLY = 3600


def sweep(uow: UnitOfWork, now: datetime) -> list[int]:
    """Escalate every open task past due, once each; the ids of those escalated now."""
    overdue = uow.session.scalars(select(InspectionTask).where(
        InspectionTask.status.in_(domain.OPEN_STATUSES), InspectionTask.due_at <= now,
        InspectionTask.escalation < domain.ESCALATED).order_by(InspectionTask.due_at)
        .with_for_update(skip_locked=True).limit(500))
    escalated = []
    for task in overdue:
        task.escalation = domain.ESCALATED
        task.version += 1
        services.audit(uow.session, task, None, "escalated", task.status)
        uow.emit(_overdue_event(task))
        escalated.append(task.id)
    uow.commit()
    return escalated


def _overdue_event(task: InspectionTask) -> events.Event:
    return events.Event(
        type=events.INSPECTION_OVERDUE, producer="review", aggregate_id=f"inspection-{task.id}",
        aggregate_version=task.version,
        payload={"task_id": task.id, "model_id": task.model_id, "title": task.item.title,
                 "commune_code": task.commune_code, "district_code": task.district_code,
                 "team_name": task.team.name if task.team else None,
                 "inspector_ids": task.inspector_ids, "due_at": task.due_at})


def run_sweep() -> int:
    """The hourly job: escalate the inspections overdue now."""
    review = bootstrap(from_env())
    try:
        with review.uow() as uow:
            escalated = sweep(uow, clock.now())
        if escalated:
            log.info("escalated overdue inspections %s", escalated)
        return len(escalated)
    finally:
        review.engine.dispose()


def register(scheduler) -> None:
    """Have rq's cron scheduler look for overdue inspections every hour."""
    scheduler.register(run_sweep, interval=HOURLY, name="inspection-deadlines")
