"""Inspection rules: who may inspect what, what a conclusion needs, when a task is overdue.

Free of Flask, SQL and the broker. A member conflicts with a model when they live in its
commune or belong to the unit that owns it (names compared as people type them: case,
spacing and Unicode form do not matter). A conflicted member never goes on that inspection.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from review_service.bus import DomainEvent
from shared.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from shared.identity import Identity, Role, covers_district, is_admin, is_inspector
from shared.text import search_key


class TaskStatus(StrEnum):
    UNASSIGNED = "unassigned"  # no eligible team: flagged until an administrator acts
    ASSIGNED = "assigned"
    CONCLUDED = "concluded"


class Outcome(StrEnum):
    VERIFIED = "verified"
    PARTLY_VERIFIED = "partly_verified"
    NOT_VERIFIED = "not_verified"


class Source(StrEnum):
    NOMINATED = "nominated"  # every nominated model is inspected
    SAMPLED = "sampled"  # the plan's random, stratified sample of approved models
    ADDED = "added"  # added by hand


class Answer(StrEnum):
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"


OPEN_STATUSES = (TaskStatus.UNASSIGNED, TaskStatus.ASSIGNED)
PLANNER_ROLES = (Role.DISTRICT_REVIEWER, Role.COMMITTEE_MEMBER, Role.COMMITTEE_CHAIR, Role.ADMIN)
INSPECTOR_ROLES = (Role.INSPECTOR,)
MAX_FINDINGS = 8000
NOT_YET, ESCALATED = 0, 1


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    home_commune: str
    unit_name: str | None = None


@dataclass(frozen=True)
class Target:
    """What is inspected, as far as conflicts go: where the model is and whose it is."""

    commune_code: str
    unit_name: str | None = None


def conflicts(member: Member, target: Target) -> bool:
    """A member may not inspect a model of their own commune or of their own unit."""
    if member.home_commune == target.commune_code:
        return True
    mine, theirs = search_key(member.unit_name or ""), search_key(target.unit_name or "")
    return bool(mine) and mine == theirs


def free_of_conflict(members: Iterable[Member], target: Target) -> tuple[Member, ...]:
    """The members who may go: everyone but those who conflict, in a stable order."""
    return tuple(sorted((m for m in members if not conflicts(m, target)),
                        key=lambda m: (m.name, m.user_id)))


def check_planner(user: Identity, district_code: str | None = None) -> None:
    """Plans are the district's reviewers', its committee's and administrators' business."""
    if not is_planner(user):
        raise NotPermitted()
    if district_code is not None and not covers_district(user, district_code):
        raise NotFound()


def is_planner(user: Identity) -> bool:
    return user.role in PLANNER_ROLES


def check_admin(user: Identity) -> None:
    if not is_admin(user):
        raise NotPermitted()


def may_see(user: Identity, district_code: str, inspector_ids: Iterable[int]) -> bool:
    """The district's planners see its tasks; an inspector only the tasks naming them."""
    if is_admin(user):
        return True
    if is_inspector(user):
        return user.id in set(inspector_ids)
    return is_planner(user) and covers_district(user, district_code)


def check_inspector(user: Identity, inspector_ids: Iterable[int]) -> None:
    """Only an inspector the task names records its checks and concludes it."""
    if not is_inspector(user) or user.id not in set(inspector_ids):
        raise NotPermitted()


def check_open(status: str) -> None:
    if status not in OPEN_STATUSES:
        raise InvalidTransition(f"task is {status}")


def check_conclusion(outcome: str, findings: str, answers: Mapping[str, str],
                     criteria: Iterable[str]) -> None:
    """A conclusion names its outcome, says what was found, and answers every criterion;
    "verified" cannot stand on a criterion that was not met."""
    errors: dict[str, list[str]] = {}
    if outcome not in set(Outcome):
        errors["outcome"] = ["required"]
    if not findings.strip():
        errors["findings"] = ["required"]
    elif len(findings) > MAX_FINDINGS:
        errors["findings"] = ["length"]
    unanswered = [code for code in criteria if answers.get(code) not in set(Answer)]
    if unanswered:
        errors["checklist"] = ["unanswered"]
    elif outcome == Outcome.VERIFIED and Answer.NOT_MET in {answers[c] for c in criteria}:
        errors["outcome"] = ["contradicts"]
    if errors:
        raise InvalidInput(errors)


def is_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    return status in OPEN_STATUSES and due_at is not None and now >= due_at


# ---- what an inspection sets off ----------------------------------------------------------


@dataclass(frozen=True)
class InspectionConcluded(DomainEvent):
    """An inspection team concluded its task; ``nomination_id`` is set when a nomination asked
    for it."""

    task_id: int
    nomination_id: int | None
    outcome: str
    findings: str
    actor: Identity
