"""Inspection handlers: plans and their tasks, assignment by the rules, reassignment.

Plain functions taking a command (or, for the nominations side, the domain event
``InspectionRequested``) and a unit of work. Every change to a task writes a row of its audit
trail in the same transaction; ``require_inspection`` leaves the commit to its caller.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review_service.inspections import allocation as assignment
from review_service.inspections import domain, sampling
from review_service.inspections.config import InspectionConfig
from review_service.inspections.domain import Source, Target, TaskStatus
from review_service.inspections.queries import get_plan, get_task
from review_service.inspections.tables import (
    InspectionAudit,
    InspectionPlan,
    InspectionTask,
    InspectionTeam,
)
from review_service.nominations.domain import InspectionRequested
from review_service.queue.domain import ItemStatus
from review_service.queue.tables import ReviewItem
from shared import clock
from shared.days import VIETNAM, today_in_vietnam
from shared.errors import InvalidInput, InvalidTransition, NotFound
from shared.identity import Identity
from shared.uow import UnitOfWork

HALF_LABELS = {1: _l("First half of %(year)s"), 2: _l("Second half of %(year)s")}


@dataclass(frozen=True)
class CreatePlan:
    user: Identity
    label: str
    starts_on: date
    ends_on: date
    period_id: int | None = None
    seed: int | None = None


@dataclass(frozen=True)
class AddModel:
    user: Identity
    plan_id: int
    item_id: int


@dataclass(frozen=True)
class Reassign:
    user: Identity
    task_id: int
    team_id: int


def audit(session: Session, task: InspectionTask, actor: Identity | None, action: str,
          from_status: str | None, comment: str | None = None) -> None:
    """One row of the task's audit trail: who, when, from what to what, and why."""
    session.add(InspectionAudit(task_id=task.id, actor_id=actor.id if actor else None,
                                actor_name=actor.name if actor else "", action=action,
                                from_status=from_status, to_status=task.status,
                                comment=comment, at=clock.now()))


def current_half(today: date) -> tuple[date, date, int]:
    """The half-year holding ``today``: its first and last day, and which half (1 or 2)."""
    if today.month <= 6:
        return date(today.year, 1, 1), date(today.year, 6, 30), 1
    return date(today.year, 7, 1), date(today.year, 12, 31), 2


def default_label(today: date) -> str:
    _start, _end, half = current_half(today)
    return str(HALF_LABELS[half]) % {"year": today.year}


# Plans -----------------------------------------------------------------------------------------

def create_plan(cmd: CreatePlan, uow: UnitOfWork, config: InspectionConfig) -> InspectionPlan:
    """A planner sets up the district's plan for a stretch of time; its sample is drawn at once."""
    domain.check_planner(cmd.user)
    errors = {}
    if not 3 <= len(cmd.label.strip()) <= 200:
        errors["label"] = ["length"]
    if cmd.ends_on < cmd.starts_on or cmd.ends_on - cmd.starts_on > timedelta(days=731):
        errors["ends_on"] = ["range"]
    if cmd.seed is not None and not 0 <= cmd.seed < 2**63:
        errors["seed"] = ["range"]
    if errors:
        raise InvalidInput(errors)
    plan = _new_plan(uow.session, cmd.user, cmd.user.scope, cmd.label.strip(), cmd.starts_on,
                     cmd.ends_on, config.sample_share, cmd.period_id, cmd.seed)
    draw_sample(uow.session, plan, cmd.user, config)
    uow.commit()
    return plan


def _new_plan(session: Session, user: Identity, district_code: str, label: str, starts_on: date,
              ends_on: date, share: Fraction, period_id: int | None = None,
              seed: int | None = None) -> InspectionPlan:
    plan = InspectionPlan(district_code=district_code, label=label, starts_on=starts_on,
                          ends_on=ends_on, period_id=period_id, sample_share=str(share),
                          seed=secrets.randbits(31) if seed is None else seed, sampled_from=0,
                          created_by=user.name, created_at=clock.now())
    session.add(plan)
    session.flush()
    return plan


def population(session: Session, plan: InspectionPlan) -> list[sampling.Candidate]:
    """The approved registrations decided within the plan's dates, less those already on it."""
    start = datetime.combine(plan.starts_on, time(), VIETNAM)
    end = datetime.combine(plan.ends_on + timedelta(days=1), time(), VIETNAM)
    on_plan = select(InspectionTask.item_id).where(InspectionTask.plan_id == plan.id)
    rows = session.execute(select(ReviewItem.id, ReviewItem.commune_code, ReviewItem.field).where(
        ReviewItem.kind == "registration", ReviewItem.status == ItemStatus.APPROVED,
        ReviewItem.district_code == plan.district_code,
        ReviewItem.updated_at >= start.astimezone(UTC), ReviewItem.updated_at < end.astimezone(UTC),
        ReviewItem.id.not_in(on_plan)))
    return [sampling.Candidate(*row) for row in rows]


def draw_sample(session: Session, plan: InspectionPlan, user: Identity,
                config: InspectionConfig) -> list[InspectionTask]:
    """Draw the plan's sample with its recorded seed (once) and assign each task by the rules."""
    if plan.sampled_at is not None:
        raise InvalidTransition("the sample is already drawn")
    found = population(session, plan)
    chosen = sampling.draw(found, Fraction(plan.sample_share), plan.seed)
    plan.sampled_from, plan.sampled_at = len(found), clock.now()
    items = {item.id: item for item in session.scalars(
        select(ReviewItem).where(ReviewItem.id.in_(chosen)))} if chosen else {}
    teams = team_loads(session, plan.district_code)
    created = []
    for item_id in chosen:
        task = _new_task(session, plan, items[item_id], Source.SAMPLED, user)
        teams = _assign(session, task, teams, user, config)
        created.append(task)
    return created


def add_model(cmd: AddModel, uow: UnitOfWork, config: InspectionConfig) -> InspectionTask:
    """The committee adds a model to the plan by hand; it is assigned by the same rules."""
    plan = get_plan(uow.session, cmd.user, cmd.plan_id)
    item = uow.session.get(ReviewItem, cmd.item_id)
    if item is None or item.kind != "registration" or item.status != ItemStatus.APPROVED \
            or item.district_code != plan.district_code:
        raise InvalidInput({"item_id": ["not_approved"]})
    if any(t.item_id == item.id for t in plan.tasks):
        raise InvalidInput({"item_id": ["duplicate"]})
    task = _new_task(uow.session, plan, item, Source.ADDED, cmd.user)
    _assign(uow.session, task, team_loads(uow.session, plan.district_code), cmd.user, config)
    uow.commit()
    return task


def _new_task(session: Session, plan: InspectionPlan, item: ReviewItem, source: Source,
              user: Identity | None, nomination_id: int | None = None) -> InspectionTask:
    task = InspectionTask(plan=plan, item=item, model_id=item.submission_id,
                          district_code=item.district_code, commune_code=item.commune_code,
                          source=source, nomination_id=nomination_id, inspectors=[],
                          status=TaskStatus.UNASSIGNED, escalation=domain.NOT_YET,
                          created_at=clock.now(), version=1)
    session.add(task)
    session.flush()
    audit(session, task, user, "planned", None, str(source))
    return task


# Assignment ------------------------------------------------------------------------------------

def target_of(item: ReviewItem) -> Target:
    return Target(commune_code=item.commune_code, unit_name=(item.details or {}).get("unit_name"))


def team_loads(session: Session, district_code: str) -> list[assignment.Team]:
    """The district's teams as the rules see them, with their open tasks counted."""
    loads = dict(session.execute(select(InspectionTask.team_id, func.count()).where(
        InspectionTask.status == TaskStatus.ASSIGNED, InspectionTask.team_id.is_not(None))
        .group_by(InspectionTask.team_id)).all())
    found = session.scalars(select(InspectionTeam).where(
        InspectionTeam.district_code == district_code).order_by(InspectionTeam.id))
    return [as_rules(team, loads.get(team.id, 0)) for team in found]


def as_rules(team: InspectionTeam, load: int = 0) -> assignment.Team:
    return assignment.Team(
        id=team.id, name=team.name, communes=frozenset(team.communes or ()), open_load=load,
        members=tuple(domain.Member(m.user_id, m.name, m.home_commune, m.unit_name)
                      for m in team.members))


def _assign(session: Session, task: InspectionTask, teams: list[assignment.Team],
            actor: Identity | None, config: InspectionConfig) -> list[assignment.Team]:
    """Give the task to the team the rules choose (or flag it unassigned); the loads, updated."""
    chosen = assignment.choose(teams, target_of(task.item))
    if chosen is None:
        if task.status != TaskStatus.UNASSIGNED:  # a new task is unassigned from the start
            from_status, task.status = task.status, TaskStatus.UNASSIGNED
            audit(session, task, actor, "unassigned", from_status)
        return teams
    _give(session, task, chosen, actor, "assigned", config)
    return [replace(t, open_load=t.open_load + 1) if t.id == chosen.team.id else t for t in teams]


def _give(session: Session, task: InspectionTask, chosen: assignment.Assignment,
          actor: Identity | None, action: str, config: InspectionConfig) -> None:
    from_status = task.status
    task.team_id = chosen.team.id
    task.inspectors = [{"id": m.user_id, "name": m.name} for m in chosen.inspectors]
    task.status, task.assigned_at = TaskStatus.ASSIGNED, clock.now()
    task.due_at, task.escalation = task.assigned_at + config.due, domain.NOT_YET
    task.version += 1
    audit(session, task, actor, action, from_status, chosen.team.name)


def assign_waiting(session: Session, user: Identity, district_code: str,
                   config: InspectionConfig) -> int:
    """Try again for the district's unassigned tasks (after a team changed); how many found one."""
    teams = team_loads(session, district_code)
    waiting = session.scalars(select(InspectionTask).where(
        InspectionTask.district_code == district_code,
        InspectionTask.status == TaskStatus.UNASSIGNED).order_by(InspectionTask.id))
    given = 0
    for task in waiting:
        teams = _assign(session, task, teams, user, config)
        given += task.status == TaskStatus.ASSIGNED
    return given


def reassign(cmd: Reassign, uow: UnitOfWork, config: InspectionConfig) -> InspectionTask:
    """An administrator gives an open task to another team, under the same rules.

    Raises ``assignment.Refused`` (not covering, no members, everyone conflicted)."""
    domain.check_admin(cmd.user)
    task = get_task(uow.session, cmd.user, cmd.task_id)
    domain.check_open(task.status)
    team = uow.session.get(InspectionTeam, cmd.team_id)
    if team is None or team.district_code != task.district_code:
        raise NotFound()
    load = next((t.open_load for t in team_loads(uow.session, team.district_code)
                 if t.id == team.id), 0)
    chosen = assignment.check_team(as_rules(team, load), target_of(task.item))
    _give(uow.session, task, chosen, cmd.user, "reassigned", config)
    uow.commit()
    return task


# For award nominations -------------------------------------------------------------------------

def on_inspection_requested(event: InspectionRequested, uow: UnitOfWork) -> None:
    """A nomination waits for its model to be verified on site: see ``require_inspection``."""
    require_inspection(uow, item=uow.session.get(ReviewItem, event.item_id),
                       nomination_id=event.nomination_id, actor=event.actor)


def require_inspection(uow: UnitOfWork, *, item: ReviewItem, nomination_id: int,
                       actor: Identity) -> InspectionTask:
    """Put a nominated model on the plan covering today (creating the district's plan for the
    current half-year if none) and assign it by the rules; unassigned and flagged if no team
    is eligible. Asked again while its task is open, the nomination gets the same task; once
    that task is concluded, asking again (the committee sends it back) opens a new one. The
    caller commits."""
    session = uow.session
    found = session.scalar(select(InspectionTask).where(
        InspectionTask.nomination_id == nomination_id,
        InspectionTask.status.in_(domain.OPEN_STATUSES)).order_by(InspectionTask.id))
    if found is not None:
        return found
    config = uow.config.inspections
    today = today_in_vietnam()
    plan = session.scalar(select(InspectionPlan).where(
        InspectionPlan.district_code == item.district_code, InspectionPlan.starts_on <= today,
        InspectionPlan.ends_on >= today).order_by(InspectionPlan.id.desc()))
    if plan is None:
        starts_on, ends_on, _half = current_half(today)
        plan = _new_plan(session, actor, item.district_code, default_label(today), starts_on,
                         ends_on, config.sample_share)
    task = session.scalar(select(InspectionTask).where(
        InspectionTask.plan_id == plan.id, InspectionTask.item_id == item.id,
        InspectionTask.nomination_id.is_(None),
        InspectionTask.status.in_(domain.OPEN_STATUSES)))
    if task is not None:  # already sampled or added: the same visit serves the nomination
        task.nomination_id = nomination_id
        task.version += 1
        audit(session, task, actor, "nominated", task.status, str(nomination_id))
    else:
        task = _new_task(session, plan, item, Source.NOMINATED, actor, nomination_id)
        _assign(session, task, team_loads(session, plan.district_code), actor, config)
    session.flush()
    return task
