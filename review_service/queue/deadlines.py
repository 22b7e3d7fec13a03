"""Deadlines of review stages: each stage has a due time; overdue items are reminded, then escalated.

The rule is plain (``next_step``); the sweep is an rq cron job that applies it to
every open item past its due time and tells intake, by a ``review.item.overdue``
event, whom to notify: the holder (or the stage's reviewers) first, then the
stage's lead and the next level up.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from review_service.bootstrap import bootstrap
from review_service.queue.tables import ReviewItem
from shared import clock, events
from shared.settings import from_env
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)
HOURLY = 3600
# What the sweep has done to an item at its current stage (reset when the stage changes).
NOT_YET, REMINDED, ESCALATED = 0, 1, 2
STEPS = {REMINDED: "reminder", ESCALATED: "escalation"}


def next_step(due_at: datetime, now: datetime, done: int, grace: timedelta) -> int | None:
    """The step an item has reached and not yet had: a reminder once due, escalation after grace."""
    if now >= due_at + grace and done < ESCALATED:
        return ESCALATED
    if now >= due_at and done < REMINDED:
        return REMINDED
    return None


def sweep(uow: UnitOfWork, now: datetime, grace: timedelta, audit) -> int:
    """Remind or escalate every open item past due; each step once, announced to intake."""
    overdue = uow.session.scalars(select(ReviewItem).where(
        ReviewItem.status == "open", ReviewItem.due_at <= now,
        ReviewItem.escalation < ESCALATED).order_by(ReviewItem.due_at).with_for_update(
            skip_locked=True).limit(500))
    stepped = 0
    for item in overdue:
        step = next_step(item.due_at, now, item.escalation, grace)
        if step is None:
            continue
        item.escalation = step
        item.version += 1
        audit(item, None, STEPS[step], item.status, item.stage)
        uow.emit(events.Event(
            type=events.REVIEW_ITEM_OVERDUE, producer="review",
            aggregate_id=str(item.submission_id), aggregate_version=item.version,
            payload={"submission_id": item.submission_id, "item_id": item.id, "title": item.title,
                     "stage": item.stage, "commune_code": item.commune_code,
                     "district_code": item.district_code,
                     "assignee_id": item.assignee_id,
                     "step": STEPS[step], "due_at": item.due_at}))
        stepped += 1
    uow.commit()
    return stepped


def run_sweep() -> int:
    """The hourly job: remind and escalate what is overdue now."""
    from review_service.queue import services

    review = bootstrap(from_env())
    try:
        with review.uow() as uow:
            return sweep(uow, clock.now(), review.config.escalate_after, services.audit)
    finally:
        review.engine.dispose()


def register(scheduler) -> None:
    """Have rq's cron scheduler look for overdue items every hour."""
    scheduler.register(run_sweep, interval=HOURLY, name="review-deadlines")
