"""People told what review did: the unit of its decided submissions, reviewers of new items.

Review's events already reach intake to mirror each decision onto the submission; these
handlers run after that mirror, in the same transaction, and tell the people concerned. A
unit hears when its registration, amendment or result report is approved, returned or
rejected (with the reviewer's reason). A reviewer hears when items land in their queue, in one
notification per stage that counts them until read, not one per item.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from intake_service.accounts.tables import User
from intake_service.directory import places
from intake_service.notifications.services import tell
from intake_service.notifications.tables import Notification
from intake_service.recognition.tables import Nomination
from intake_service.submissions.tables import Submission
from shared import clock, events
from shared.identity import STAGE_ROLES
from shared.uow import UnitOfWork

Handler = Callable[[events.Event, UnitOfWork], None]
TOLD = ("approved", "returned", "rejected")  # decisions the unit must know; moving on is not one
QUEUE_KEY = "queue.new"
LATEST = 3  # titles a grouped notification names


def after(mirror: Handler, notify: Handler) -> Handler:
    """One handler: mirror the event onto the submission, then tell people of it."""
    def handle(event: events.Event, uow: UnitOfWork) -> None:
        mirror(event, uow)
        notify(event, uow)
    handle.__doc__ = mirror.__doc__
    return handle


def _mirrored(event: events.Event, uow: UnitOfWork) -> Submission | None:
    """The submission this event has just changed; None when it was stale and changed nothing."""
    submission = uow.session.get(Submission, event.payload["submission_id"])
    if submission is None or submission.review_version != event.aggregate_version:
        return None
    return submission


def _title(submission: Submission) -> str:
    return submission.model.title if submission.model is not None else submission.title


def on_decision_recorded(event: events.Event, uow: UnitOfWork) -> None:
    """Tell the unit its submission was approved, returned or rejected, and why."""
    submission = _mirrored(event, uow)
    if submission is None or submission.status not in TOLD:
        return
    tell(uow, submission.submitter_id, f"decision.{submission.kind}.{submission.status}", {
        "title": _title(submission), "submission_id": submission.id,
        "stage": event.payload["from_stage"], "comment": event.payload["comment"] or ""})


def _reviewers(uow: UnitOfWork, submission: Submission, stage: str) -> list[int]:
    """Who works this stage for the submission's commune: by role and scope, active only."""
    scope = submission.commune_code
    if stage != "commune":
        place = places.place(uow.session, submission.commune_code)
        scope = place.parent_code if place else None
    query = select(User.id).where(User.role.in_(STAGE_ROLES.get(stage, ())),
                                  User.scope == scope, User.disabled.is_(False))
    return sorted(uow.session.scalars(query))


def on_item_opened(event: events.Event, uow: UnitOfWork) -> None:
    """Tell the stage's reviewers an item waits for them, counted into their unread notice."""
    submission = _mirrored(event, uow)
    if submission is None:
        return
    stage, title = event.payload["stage"], _title(submission)
    for user_id in _reviewers(uow, submission, stage):
        _count_in(uow, user_id, stage, title, event.payload["item_id"])


def _count_in(uow: UnitOfWork, user_id: int, stage: str, title: str, item_id: int) -> None:
    unread = [n for n in uow.session.scalars(select(Notification).where(
        Notification.user_id == user_id, Notification.key == QUEUE_KEY,
        Notification.read_at.is_(None))) if n.params.get("stage") == stage]
    if not unread:
        tell(uow, user_id, QUEUE_KEY, {"stage": stage, "count": 1, "titles": [title],
                                       "item_id": item_id})
        return
    note = unread[0]
    note.params = {**note.params, "count": note.params["count"] + 1, "item_id": item_id,
                   "titles": ([title] + note.params["titles"])[:LATEST]}
    flag_modified(note, "params")
    note.created_at = clock.now()  # it comes to the top of the list again


NOMINATION_TOLD = ("decided", "dropped")


def nomination_told(mirror: Handler) -> Handler:
    """Mirror a nomination's news; tell its models' units when it is newly decided or dropped."""
    def handle(event: events.Event, uow: UnitOfWork) -> None:
        payload = event.payload
        before = uow.session.get(Nomination, payload["nomination_id"])
        was = (before.status, before.version) if before is not None else (None, -1)
        mirror(event, uow)
        if payload["status"] not in NOMINATION_TOLD or payload["version"] <= was[1] \
                or payload["status"] == was[0]:
            return
        decision_date = payload["decision_date"]
        params = {"subject": payload["subject_name"], "award": payload["award_form_name"],
                  "number": payload["decision_number"] or "",
                  "date": str(decision_date) if decision_date else "",
                  "reason": payload["reason"] or "", "nomination_id": payload["nomination_id"]}
        units = uow.session.scalars(select(Submission.submitter_id).where(
            Submission.id.in_(payload["model_ids"])))
        for user_id in sorted(set(units)):
            tell(uow, user_id, f"nomination.{payload['status']}", params)
    handle.__doc__ = mirror.__doc__
    return handle
