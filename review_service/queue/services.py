"""Review's handlers: plain functions taking a command (or an event) and a unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session, object_session

from review_service.chains import services as chains
from review_service.queue import deadlines, domain
from review_service.queue.domain import Chain, Decision, ItemStatus
from review_service.queue.tables import AuditEntry, ReviewItem
from shared import clock, events
from shared.errors import NotFound, NotPermitted, StaleDecision
from shared.identity import Identity, covers, is_admin, is_reviewer, reads_commune, reads_district
from shared.text import search_key
from shared.uow import UnitOfWork

PRODUCER = "review"
COMMITTEE_STAGE = "committee"


class DecidedByVote(NotPermitted):
    """An item at the committee stage is decided only by closing a committee vote on it."""


@dataclass(frozen=True)
class Decide:
    user: Identity
    item_id: int
    decision: Decision
    comment: str
    expected_version: int


def audit(item: ReviewItem, actor: Identity | None, action: str, from_status: str | None,
           from_stage: str | None, comment: str | None = None) -> None:
    # Linked from the entry's side, so appending never loads the whole trail.
    object_session(item).add(AuditEntry(
        item=item, actor_id=actor.id if actor else None, actor_name=actor.name if actor else "",
        action=action, from_status=from_status, to_status=item.status,
        from_stage=from_stage, to_stage=item.stage, comment=comment, at=clock.now(),
    ))


def _opened_event(item: ReviewItem) -> events.Event:
    return events.Event(
        type=events.REVIEW_ITEM_OPENED, version=2, producer=PRODUCER,
        aggregate_id=str(item.submission_id), aggregate_version=item.version,
        payload={"submission_id": item.submission_id, "item_id": item.id,
                 "stage": item.stage, "opened_at": item.updated_at,
                 "due_at": item.due_at},  # the stage's due time: intake's "overdue" follows it
    )


def on_submitted(event: events.Event, uow: UnitOfWork, shipped_chains: str) -> None:
    """A unit submitted: open a review item at its chain's first stage, or reopen a returned one.

    The chain comes from the rules in force (``chains``); the item keeps it, with its version.
    """
    payload = event.payload
    item = uow.session.scalar(
        select(ReviewItem).where(ReviewItem.submission_id == payload["submission_id"]))
    if item is not None and event.aggregate_version <= item.intake_version:
        return  # an older or repeated announcement
    now = clock.now()
    if item is None:
        chain_version, chain = chains.choose(uow.session, shipped_chains, payload)
        item = ReviewItem(submission_id=payload["submission_id"], chain=str(chain),
                          chain_version=chain_version, stage=chain.first,
                          status=ItemStatus.OPEN, version=1,
                          opened_at=now)
        uow.session.add(item)
        from_status, from_stage = None, None
    else:
        from_status, from_stage = item.status, item.stage
        item.previous = domain.snapshot(item.title, item.field, item.subject_type, item.details)
        item.stage = domain.reopen(ItemStatus(item.status), item.returned_from,
                                   Chain.parse(item.chain))
        item.status = ItemStatus.OPEN
        item.version += 1
    _copy_submission(item, payload)
    item.intake_version = event.aggregate_version
    item.updated_at = item.opened_at = now
    item.due_at, item.escalation = now + uow.config.due_after(item.stage), deadlines.NOT_YET
    audit(item, None, "opened", from_status, from_stage)
    uow.session.flush()
    uow.emit(_opened_event(item))


def _copy_submission(item: ReviewItem, payload: dict) -> None:
    for name in ("kind", "title", "field", "subject_type", "commune_code", "commune_name",
                 "district_code"):
        setattr(item, name, payload[name])
    item.title_key = search_key(payload["title"])
    item.submitter_name = payload["submitter"]["name"]
    item.details = payload.get("details")  # v2 carries them; a v1 announcement has none
    item.model_id = payload.get("model_id")  # v3: amendments and result reports
    item.amendment = payload.get("amendment")
    item.report = _jsonable(payload.get("report"))


def _jsonable(report: dict | None) -> dict | None:
    """A report as JSON can hold it: its exact figures as decimal strings, never floats."""
    if report is None:
        return None
    figures = [{"code": f["code"], "value": str(f["value"])} for f in report["indicators"]]
    return {**report, "indicators": figures}


def on_withdrawn(event: events.Event, uow: UnitOfWork) -> None:
    """The unit withdrew: the item leaves every queue."""
    item = uow.session.scalar(
        select(ReviewItem).where(ReviewItem.submission_id == event.payload["submission_id"]))
    if item is None or event.aggregate_version <= item.intake_version:
        return
    from_status = item.status
    item.status, item.intake_version = ItemStatus.WITHDRAWN, event.aggregate_version
    item.version += 1
    audit(item, None, "withdrawn", from_status, item.stage)


@dataclass(frozen=True)
class Decided:
    """What a decision left: the item's new state, as the API answers it."""

    id: int
    submission_id: int
    status: str
    stage: str
    version: int


def decide(cmd: Decide, uow: UnitOfWork) -> Decided:
    """Approve (advance or finish), return with a comment, or reject with a reason.

    Not at the committee stage: there, no member, chair or administrator decides alone; the
    committee does, by closing a vote (``record_decision(..., by_vote=True)``).
    """
    decided = record_decision(cmd, uow, by_vote=False)
    uow.commit()
    return decided


_items, _audit = ReviewItem.__table__, AuditEntry.__table__
# What a decision reads of an item: never the submission's sections, figures or earlier version.
_DECIDING = select(*(_items.c[name] for name in (
    "id", "submission_id", "kind", "chain", "stage", "status", "version", "commune_code",
    "district_code", "model_id"))).where(_items.c.id == bindparam("item_id"))
_MOVE = update(_items).where(_items.c.id == bindparam("item_id"),
                             _items.c.version == bindparam("expected"))
_APPEND = insert(_audit)


def record_decision(cmd: Decide, uow: UnitOfWork, *, by_vote: bool) -> Decided:
    """Decide as ``decide`` does, leaving the commit to a caller deciding several items at once.

    The busiest write of the service, so it is three plain statements (read the item, move it
    if it is still at the version the reviewer saw, append its audit row) and the event, with
    no ORM state in between. A caller holding the item as an ORM object flushes it first and
    expires it after.
    """
    session = uow.session
    db = session.connection()  # Core statements: no ORM work around them
    item = db.execute(_DECIDING, {"item_id": cmd.item_id}).one_or_none()
    if item is None or not _visible(cmd.user, item):
        raise NotFound()
    if item.version != cmd.expected_version:
        raise StaleDecision()  # checked first: the item may have moved past this reviewer's stage
    domain.check_may_review(cmd.user, item.stage, item.commune_code, item.district_code)
    if item.stage == COMMITTEE_STAGE and not by_vote:
        raise DecidedByVote()
    outcome = domain.decide(Chain.parse(item.chain), ItemStatus(item.status), item.stage,
                            cmd.decision, cmd.comment)
    decided = Decided(item.id, item.submission_id, outcome.status.value, outcome.stage,
                      item.version + 1)
    now = clock.now()
    values = _moved(outcome, cmd, decided, now, uow.config)
    moved = db.execute(_MOVE, {"item_id": item.id, "expected": item.version, **values})
    if moved.rowcount != 1:
        raise StaleDecision()  # a concurrent decision moved it first
    db.execute(_APPEND, {
        "item_id": item.id, "actor_id": cmd.user.id, "actor_name": cmd.user.name,
        "action": cmd.decision.value, "from_status": item.status, "to_status": outcome.status,
        "from_stage": item.stage, "to_stage": outcome.stage, "comment": cmd.comment or None,
        "at": now})
    if item.kind == "amendment" and outcome.name == "approved":
        _amend_model_item(session, session.get(ReviewItem, item.id))
    uow.emit(_decision_event(decided, cmd, outcome, item.stage, now, values.get("due_at")))
    return decided


def _moved(outcome: domain.Outcome, cmd: Decide, decided: Decided, now: datetime, config) -> dict:
    values = {"status": outcome.status.value, "stage": outcome.stage, "version": decided.version,
              "returned_from": decided.stage if outcome.name == "returned" else None,
              "last_comment": cmd.comment or None, "updated_at": now}
    if outcome.name == "advanced":
        values |= {"opened_at": now, "due_at": now + config.due_after(outcome.stage),
                   "escalation": deadlines.NOT_YET}
    return values


def _amend_model_item(session: Session, amendment: ReviewItem) -> None:
    """An approved amendment changes the model as reviewers see it too."""
    model = session.scalar(select(ReviewItem).where(ReviewItem.submission_id == amendment.model_id))
    if model is None:
        return
    for change in amendment.amendment["changes"]:
        if change["name"] in ("title", "field"):
            setattr(model, change["name"], change["after"])
        else:
            model.details = {**(model.details or {}), change["name"]: change["after"]}
    model.title_key = search_key(model.title)
    model.version += 1
    model.updated_at = clock.now()


def _decision_event(decided: Decided, cmd: Decide, outcome: domain.Outcome, from_stage: str,
                    at: datetime, due_at: datetime | None) -> events.Event:
    """What intake learns of a decision; ``due_at``: when the stage it advanced to is due."""
    return events.Event(
        type=events.REVIEW_DECISION_RECORDED, version=2, producer=PRODUCER,
        aggregate_id=str(decided.submission_id), aggregate_version=decided.version,
        payload={
            "submission_id": decided.submission_id, "item_id": decided.id,
            "decision": cmd.decision.value, "outcome": outcome.name,
            "from_stage": from_stage, "to_stage": outcome.to_stage,
            "comment": cmd.comment or None,
            "actor": {"id": cmd.user.id, "name": cmd.user.name},
            "decided_at": at, "due_at": due_at,
        },
    )


def get_visible(session: Session, user: Identity, item_id: int, *options) -> ReviewItem:
    item = session.get(ReviewItem, item_id, options=options)
    if item is None or not _visible(user, item):
        raise NotFound()
    return item


def _visible(user: Identity, item: ReviewItem) -> bool:
    return is_admin(user) or (is_reviewer(user) and covers(user, item.commune_code, item.district_code))


SORTS = {  # keyset-friendly: each order ends with the id, and an index covers it
    "oldest": (ReviewItem.opened_at, ReviewItem.id),
    "newest": (ReviewItem.opened_at.desc(), ReviewItem.id.desc()),
    "due": (ReviewItem.due_at, ReviewItem.id),
}


@dataclass(frozen=True)
class QueueFilter:
    stage: str
    field: str = ""
    commune_code: str = ""
    search: str = ""
    page: int = 1
    per_page: int = 50
    subject_type: str = ""
    kind: str = ""
    overdue: bool = False
    assignee: str = ""  # "me", "none", a reviewer's id, or anyone
    sort: str = "oldest"

    @classmethod
    def from_args(cls, args, stage: str) -> QueueFilter:
        """The filter a queue URL's query string asks for; unknown values mean no filter."""
        assignee = args.get("assignee", "")
        return cls(stage=stage, field=args.get("field", ""), commune_code=args.get("commune", ""),
                   search=args.get("q", "")[:200], page=_positive(args.get("page")),
                   subject_type=args.get("subject_type", ""), kind=args.get("kind", ""),
                   overdue=args.get("overdue") in ("1", "true", "on"),
                   assignee=assignee if assignee in ("me", "none") or assignee.isdigit() else "",
                   sort=args.get("sort") if args.get("sort") in SORTS else "oldest")


def _positive(text: str | None) -> int:
    return int(text) if text and text.isdigit() and 0 < int(text) < 100_000 else 1


def queue(session: Session, user: Identity, wanted: QueueFilter) -> list[ReviewItem]:
    """Open items at one stage that this reviewer's role and area allow, oldest first."""
    query = select(ReviewItem).where(ReviewItem.status == ItemStatus.OPEN,
                                     ReviewItem.stage == wanted.stage)
    if reads_commune(user):
        query = query.where(ReviewItem.commune_code == user.scope)
    elif reads_district(user):
        query = query.where(ReviewItem.district_code == user.scope)
    if not user.works_stage(wanted.stage):
        return []
    if wanted.field:
        query = query.where(ReviewItem.field == wanted.field)
    if wanted.commune_code:
        query = query.where(ReviewItem.commune_code == wanted.commune_code)
    if wanted.search:
        query = query.where(ReviewItem.title_key.contains(search_key(wanted.search)))
    query = _narrowed(query, user, wanted).order_by(*SORTS.get(wanted.sort, SORTS["oldest"]))
    offset = (max(wanted.page, 1) - 1) * wanted.per_page
    return list(session.scalars(query.offset(offset).limit(wanted.per_page)))


def _narrowed(query, user: Identity, wanted: QueueFilter):
    """The queue's further filters: subject type, kind, overdue, whose hands it is in."""
    for column, value in ((ReviewItem.subject_type, wanted.subject_type),
                          (ReviewItem.kind, wanted.kind)):
        if value:
            query = query.where(column == value)
    if wanted.overdue:
        query = query.where(ReviewItem.due_at < clock.now())
    if wanted.assignee == "none":
        return query.where(ReviewItem.assignee_id.is_(None))
    if wanted.assignee:
        holder = user.id if wanted.assignee == "me" else int(wanted.assignee)
        query = query.where(ReviewItem.assignee_id == holder)
    return query


def can_decide(user: Identity, item: ReviewItem) -> bool:
    """Whether the decision form is for this user: never at the committee stage (a vote decides)."""
    return item.status == ItemStatus.OPEN and item.stage != COMMITTEE_STAGE and domain.may_review(
        user, item.stage, item.commune_code, item.district_code)
