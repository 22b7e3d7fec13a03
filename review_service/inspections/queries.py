"""What the inspection pages and API read: plans, tasks, who may see them, a model's results."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from review_service.inspections import domain
from review_service.inspections.domain import TaskStatus
from review_service.inspections.tables import InspectionPlan, InspectionTask, InspectionTeam
from review_service.queue.domain import ItemStatus
from review_service.queue.tables import ReviewItem
from shared import clock
from shared.errors import NotFound
from shared.identity import Identity, is_admin, is_inspector


def plans(db: Session, user: Identity) -> list[InspectionPlan]:
    """The plans of the caller's district (every district's for an administrator), newest first."""
    domain.check_planner(user)
    query = select(InspectionPlan).order_by(InspectionPlan.starts_on.desc(),
                                            InspectionPlan.id.desc())
    if not is_admin(user):
        query = query.where(InspectionPlan.district_code == user.scope)
    return list(db.scalars(query))


def get_plan(db: Session, user: Identity, plan_id: int) -> InspectionPlan:
    domain.check_planner(user)
    plan = db.get(InspectionPlan, plan_id)
    if plan is None:
        raise NotFound()
    domain.check_planner(user, plan.district_code)
    return plan


def get_task(db: Session, user: Identity, task_id: int) -> InspectionTask:
    """A task its district's planners, or an inspector it names, may see."""
    task = db.get(InspectionTask, task_id)
    if task is None or not domain.may_see(user, task.district_code, task.inspector_ids):
        raise NotFound()
    return task


def tasks(db: Session, user: Identity, status: str = "", overdue: bool = False,
          now: datetime | None = None) -> list[InspectionTask]:
    """The tasks the caller may see: an inspector's own, or the district's; overdue first."""
    now = now or clock.now()
    query = select(InspectionTask)
    if is_inspector(user):
        mine = select(InspectionTask.id).join(InspectionTeam).where(
            InspectionTeam.members.any(user_id=user.id))
        query = query.where(InspectionTask.id.in_(mine))
    elif not is_admin(user):
        domain.check_planner(user)
        query = query.where(InspectionTask.district_code == user.scope)
    if status in set(TaskStatus):
        query = query.where(InspectionTask.status == status)
    if overdue:
        query = query.where(InspectionTask.status.in_(domain.OPEN_STATUSES),
                            InspectionTask.due_at <= now)
    found = db.scalars(query.order_by(InspectionTask.due_at.is_(None), InspectionTask.due_at,
                                      InspectionTask.id).limit(500))
    return [t for t in found if domain.may_see(user, t.district_code, t.inspector_ids)]


def escalated(db: Session, user: Identity) -> list[InspectionTask]:
    """Open tasks the overdue sweep brought to the district's attention."""
    if not domain.is_planner(user):
        return []
    query = select(InspectionTask).where(InspectionTask.status.in_(domain.OPEN_STATUSES),
                                         InspectionTask.escalation >= domain.ESCALATED)
    if not is_admin(user):
        query = query.where(InspectionTask.district_code == user.scope)
    return list(db.scalars(query.order_by(InspectionTask.due_at, InspectionTask.id)))


def latest_results(db: Session, task: InspectionTask) -> ReviewItem | None:
    """The model's latest result report: the newest approved one, else the newest of any."""
    reports = list(db.scalars(select(ReviewItem).where(
        ReviewItem.kind == "result_report", ReviewItem.model_id == task.model_id,
    ).order_by(ReviewItem.updated_at.desc(), ReviewItem.id.desc()).limit(20)))
    approved = [r for r in reports if r.status == ItemStatus.APPROVED]
    return (approved or reports or [None])[0]


def candidates(db: Session, plan: InspectionPlan) -> list[ReviewItem]:
    """Approved registrations of the plan's district not yet on it: what may be added by hand."""
    on_plan = select(InspectionTask.item_id).where(InspectionTask.plan_id == plan.id)
    return list(db.scalars(_approved(plan.district_code).where(
        ReviewItem.id.not_in(on_plan)).order_by(ReviewItem.commune_name, ReviewItem.title)
        .limit(1000)))


def _approved(district_code: str):
    return select(ReviewItem).where(ReviewItem.kind == "registration",
                                    ReviewItem.status == ItemStatus.APPROVED,
                                    ReviewItem.district_code == district_code)
