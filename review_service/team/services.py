"""Who holds a review item: claiming it, releasing it, giving it to a colleague; approving in bulk.

Review keeps no users of its own, so it remembers the reviewers who used the queue
(``Reviewer``): that is the list an assigner picks a colleague of the same role and area
from. Claims, releases and assignments bump the item's version like decisions do, so an
action taken on an older view of the item is refused as stale instead of applied twice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from review_service.queue import domain, services
from review_service.queue.domain import Decision, ItemStatus
from review_service.queue.tables import ReviewItem
from review_service.team.tables import Reviewer
from shared import clock
from shared.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted, StaleDecision
from shared.identity import REVIEWERS, Identity, Role
from shared.uow import UnitOfWork

REVIEWER_ROLES = REVIEWERS | {Role.ADMIN}  # who the queue remembers by default
SEEN_AGAIN_AFTER = timedelta(hours=1)  # a queue visit refreshes the record at most this often


@dataclass(frozen=True)
class Claim:
    user: Identity
    item_id: int
    expected_version: int


@dataclass(frozen=True)
class Release:
    user: Identity
    item_id: int
    expected_version: int


@dataclass(frozen=True)
class Assign:
    user: Identity
    item_id: int
    assignee_id: int
    expected_version: int


@dataclass(frozen=True)
class BulkApprove:
    user: Identity
    selection: tuple[tuple[int, int], ...]  # (item id, the version the reviewer saw)


@dataclass
class BulkResult:
    approved: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # item id, why (REFUSALS)


# --- rules -------------------------------------------------------------------------------

def may_claim(user: Identity, item: ReviewItem) -> bool:
    """An open item is claimed by a reviewer who may decide it, unless a colleague holds it."""
    return item.status == ItemStatus.OPEN and item.assignee_id in (None, user.id) \
        and domain.may_review(user, item.stage, item.commune_code, item.district_code)


def may_release(user: Identity, item: ReviewItem) -> bool:
    """A held item is released by anyone of the team that may decide it (its holder included)."""
    return item.assignee_id is not None \
        and domain.may_review(user, item.stage, item.commune_code, item.district_code)


def may_assign(user: Identity, colleague: Identity, item: ReviewItem) -> bool:
    """An open item goes only to a colleague of the assigner's own role and area."""
    return item.status == ItemStatus.OPEN \
        and domain.may_review(user, item.stage, item.commune_code, item.district_code) \
        and (colleague.role, colleague.scope) == (user.role, user.scope)


def _check(allowed: bool, user: Identity, item: ReviewItem) -> None:
    if allowed:
        return
    if not domain.may_review(user, item.stage, item.commune_code, item.district_code):
        raise NotPermitted()
    raise InvalidTransition(f"item is {item.status}, held by {item.assignee_id}")


# --- handlers ----------------------------------------------------------------------------

def claim(cmd: Claim, uow: UnitOfWork) -> ReviewItem:
    """Take an item to work on, so colleagues see it is being handled."""
    item = _current(uow.session, cmd.user, cmd.item_id, cmd.expected_version)
    _check(may_claim(cmd.user, item), cmd.user, item)
    return _hand_to(uow, item, cmd.user, cmd.user, "claim")


def release(cmd: Release, uow: UnitOfWork) -> ReviewItem:
    """Put a held item back in the team's pool."""
    item = _current(uow.session, cmd.user, cmd.item_id, cmd.expected_version)
    _check(may_release(cmd.user, item), cmd.user, item)
    return _hand_to(uow, item, cmd.user, None, "release", item.assignee_name)


def assign(cmd: Assign, uow: UnitOfWork) -> ReviewItem:
    """Give an item to a colleague of the same role and area, as the queue has seen them."""
    item = _current(uow.session, cmd.user, cmd.item_id, cmd.expected_version)
    known = uow.session.get(Reviewer, cmd.assignee_id)
    if known is None:
        raise InvalidInput({"assignee_id": ["unknown"]})
    colleague = known.identity()
    if (colleague.role, colleague.scope) != (cmd.user.role, cmd.user.scope):
        raise NotPermitted()  # not a colleague: another role or another area
    _check(may_assign(cmd.user, colleague, item), cmd.user, item)
    return _hand_to(uow, item, cmd.user, colleague, "assign", colleague.name)


def _current(session: Session, user: Identity, item_id: int, expected_version: int) -> ReviewItem:
    item = services.get_visible(session, user, item_id)
    if item.version != expected_version:
        raise StaleDecision()
    return item


def _hand_to(uow: UnitOfWork, item: ReviewItem, actor: Identity, holder: Identity | None,
             action: str, named: str | None = None) -> ReviewItem:
    item.assignee_id = holder.id if holder else None
    item.assignee_name = holder.name if holder else None
    item.version += 1
    try:
        services.audit(item, actor, action, item.status, item.stage, named)
        uow.session.flush()  # UPDATE ... WHERE version = expected: a concurrent change loses
    except StaleDataError:
        raise StaleDecision() from None
    uow.commit()
    return item


REFUSALS = {StaleDecision: "stale", NotPermitted: "not_permitted", NotFound: "not_found",
            InvalidTransition: "not_open", services.DecidedByVote: "committee_vote"}


def bulk_approve(cmd: BulkApprove, new_uow: Callable[[], UnitOfWork]) -> BulkResult:
    """Approve each selected item through ``services.decide``, each in its own transaction."""
    result = BulkResult()
    for item_id, version in dict(cmd.selection).items():
        decision = services.Decide(user=cmd.user, item_id=item_id, decision=Decision.APPROVE,
                                   comment="", expected_version=version)
        try:
            with new_uow() as uow:
                services.decide(decision, uow)
        except tuple(REFUSALS) as refusal:
            result.refused.append((item_id, REFUSALS[type(refusal)]))
        else:
            result.approved.append(item_id)
    return result


# --- the reviewers seen --------------------------------------------------------------------

def seen(session: Session, user: Identity, roles: Collection[str] = REVIEWER_ROLES) -> None:
    """Remember a reviewer who used the queue (or a person of ``roles`` who used their pages),
    as their session names them now, so colleagues and administrators can pick them."""
    if user.role not in roles:
        return
    known, now = session.get(Reviewer, user.id), clock.now()
    if known is None:
        session.add(Reviewer(id=user.id, name=user.name, role=user.role, scope=user.scope,
                             seen_at=now))
    elif (known.name, known.role, known.scope) != (user.name, user.role, user.scope) \
            or now - known.seen_at > SEEN_AGAIN_AFTER:
        known.name, known.role, known.scope, known.seen_at = user.name, user.role, user.scope, now
    else:
        return
    session.commit()


def colleagues(session: Session, user: Identity) -> list[Reviewer]:
    """The other reviewers of the same role and area, by name."""
    query = select(Reviewer).where(Reviewer.role == user.role, Reviewer.scope == user.scope,
                                   Reviewer.id != user.id)
    return list(session.scalars(query.order_by(Reviewer.name)))
