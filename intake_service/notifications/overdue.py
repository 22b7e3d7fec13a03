"""Review's overdue items, told to people in-app: the reviewers first, then those above them;
and overdue inspections, told to their inspectors and the district's reviewers.

A reminder goes to whoever holds the item, or else to every reviewer of its stage
and area. An escalation goes to them again and to the stage's lead and the next
level up: the district for a commune's item, the committee's chair for the
district's, the administrators for the committee's and the province's.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from intake_service.accounts.tables import User
from intake_service.notifications.services import tell
from shared import events
from shared.identity import STAGE_ROLES, Role
from shared.uow import UnitOfWork

ESCALATE_TO = {
    "commune": (Role.DISTRICT_REVIEWER,),
    "district": (Role.COMMITTEE_CHAIR,),
    "committee": (Role.ADMIN,),
    "province": (Role.ADMIN,),
}
KEYS = {"reminder": "review.overdue_reminder", "escalation": "review.overdue_escalation"}
INSPECTION_KEY = "inspection.overdue"


def recipients(session, payload: dict) -> list[int]:
    """Who is told: ids of intake's users, found by the item's holder, stage and area."""
    stage, area = payload["stage"], payload["district_code"]
    if payload["assignee_id"] is not None:
        reviewers = select(User.id).where(User.id == payload["assignee_id"])
    else:
        scope = payload["commune_code"] if stage == "commune" else area
        reviewers = select(User.id).where(User.role.in_(STAGE_ROLES.get(stage, ())),
                                          User.scope == scope)
    ids = set(session.scalars(reviewers))
    if payload["step"] == "escalation":
        above = ESCALATE_TO.get(stage, (Role.ADMIN,))
        ids |= set(session.scalars(select(User.id).where(
            User.role.in_(above), or_(User.scope == area, User.role == Role.ADMIN))))
    return sorted(ids)


def on_item_overdue(event: events.Event, uow: UnitOfWork) -> None:
    """Leave each person concerned an in-app notification about the overdue item."""
    payload = event.payload
    params = {"title": payload["title"], "stage": payload["stage"],
              "due": payload["due_at"].date().isoformat(), "item_id": payload["item_id"]}
    for user_id in recipients(uow.session, payload):
        tell(uow, user_id, KEYS[payload["step"]], params)


def on_inspection_overdue(event: events.Event, uow: UnitOfWork) -> None:
    """An overdue inspection, escalated: its inspectors and the district's reviewers are told."""
    payload = event.payload
    district = select(User.id).where(User.role == Role.DISTRICT_REVIEWER,
                                     User.scope == payload["district_code"])
    inspectors = select(User.id).where(User.id.in_(payload["inspector_ids"]))
    params = {"title": payload["title"], "due": payload["due_at"].date().isoformat(),
              "task_id": payload["task_id"]}
    for user_id in sorted(set(uow.session.scalars(district)) | set(uow.session.scalars(inspectors))):
        tell(uow, user_id, INSPECTION_KEY, params)
