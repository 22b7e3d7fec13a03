"""The committee's handlers: plain functions taking a command and a unit of work.

A chair sets up a session with the district's open items at the committee stage as its agenda,
opens the vote, and closes it. Closing tallies each entry and decides its item through review's
own decision path (``services.record_decision``): the same audit row and decision event as a
reviewer's decision, all in one transaction with the session's result. An entry chosen as an
exemplar raises ``ExemplarChosen``, handled there and then (the bootstrap has the nominations
propose the model), before the next entry is decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from review_service.committee import domain
from review_service.committee.domain import (
    Choice,
    DecisionType,
    ExemplarChosen,
    Outcome,
    Rule,
    SessionStatus,
)
from review_service.committee.tables import AgendaEntry, CommitteeSession, Vote
from review_service.queue import services as review
from review_service.queue.domain import Decision, ItemStatus
from review_service.queue.tables import ReviewItem
from review_service.uow import UnitOfWork
from shared import clock
from shared.errors import InvalidInput, InvalidTransition, NotFound
from shared.identity import Identity, is_admin

STAGE = "committee"


@dataclass(frozen=True)
class CreateSession:
    user: Identity
    title: str
    meeting_date: date
    member_count: int


@dataclass(frozen=True)
class SetDecisionType:
    user: Identity
    session_id: int
    entry_id: int
    decision_type: DecisionType


@dataclass(frozen=True)
class OpenVoting:
    user: Identity
    session_id: int


@dataclass(frozen=True)
class CastVote:
    user: Identity
    session_id: int
    entry_id: int
    choice: Choice
    comment: str = ""


@dataclass(frozen=True)
class CloseVoting:
    user: Identity
    session_id: int


def sessions(db: Session, user: Identity) -> list[CommitteeSession]:
    """The sessions of the caller's district (every district's for an administrator), newest first."""
    domain.check_member(user)
    query = select(CommitteeSession).order_by(CommitteeSession.meeting_date.desc(),
                                              CommitteeSession.id.desc())
    if not is_admin(user):
        query = query.where(CommitteeSession.district_code == user.scope)
    return list(db.scalars(query))


def get_session(db: Session, user: Identity, session_id: int) -> CommitteeSession:
    domain.check_member(user)
    found = db.get(CommitteeSession, session_id)
    if found is None:
        raise NotFound()
    domain.check_member(user, found.district_code)
    return found


def waiting_items(db: Session, district_code: str) -> list[ReviewItem]:
    """Open items at the committee stage of a district not already on a session still to be closed."""
    pending = select(AgendaEntry.item_id).join(CommitteeSession).where(
        CommitteeSession.status != SessionStatus.CLOSED)
    return list(db.scalars(select(ReviewItem).where(
        ReviewItem.status == ItemStatus.OPEN, ReviewItem.stage == STAGE,
        ReviewItem.district_code == district_code, ReviewItem.id.not_in(pending),
    ).order_by(ReviewItem.opened_at, ReviewItem.id)))


def create_session(cmd: CreateSession, uow: UnitOfWork) -> CommitteeSession:
    """A chair sets up a session; the district's waiting items become its agenda."""
    domain.check_chair(cmd.user)
    errors = {}
    if not 5 <= len(cmd.title.strip()) <= 300:
        errors["title"] = ["length"]
    if not 1 <= cmd.member_count <= 99:
        errors["member_count"] = ["range"]
    items = waiting_items(uow.session, cmd.user.scope)
    if not items:
        errors["agenda"] = ["empty"]
    if errors:
        raise InvalidInput(errors)
    created = CommitteeSession(
        district_code=cmd.user.scope, title=cmd.title.strip(), meeting_date=cmd.meeting_date,
        member_count=cmd.member_count, status=SessionStatus.DRAFT, created_by=cmd.user.name,
        created_at=clock.now(),
        agenda=[AgendaEntry(item=item, decision_type=DecisionType.RECOGNISE, exemplar=False)
                for item in items])
    uow.session.add(created)
    uow.commit()
    return created


def set_decision_type(cmd: SetDecisionType, uow: UnitOfWork) -> AgendaEntry:
    """Before the vote opens, the chair proposes an entry for recognition or as an exemplar."""
    found = _chaired(uow.session, cmd.user, cmd.session_id)
    domain.check_status(found.status, SessionStatus.DRAFT)
    entry = _entry(found, cmd.entry_id)
    entry.decision_type = cmd.decision_type
    uow.commit()
    return entry


def open_voting(cmd: OpenVoting, uow: UnitOfWork) -> CommitteeSession:
    found = _chaired(uow.session, cmd.user, cmd.session_id)
    domain.check_status(found.status, SessionStatus.DRAFT)
    found.status, found.opened_by, found.opened_at = SessionStatus.OPEN, cmd.user.name, clock.now()
    uow.commit()
    return found


def cast_vote(cmd: CastVote, uow: UnitOfWork) -> Vote:
    """A member votes on an entry while the vote is open; voting again changes the vote."""
    found = get_session(uow.session, cmd.user, cmd.session_id)
    domain.check_status(found.status, SessionStatus.OPEN)
    entry = _entry(found, cmd.entry_id)
    vote = next((v for v in entry.votes if v.member_id == cmd.user.id), None)
    if vote is None:
        attendance = voters(found)
        if cmd.user.id not in attendance and len(attendance) >= found.member_count:
            raise InvalidTransition("every member of the session has voted")
        vote = Vote(entry=entry, member_id=cmd.user.id, member_name=cmd.user.name)
        uow.session.add(vote)
    vote.choice, vote.comment, vote.at = cmd.choice, cmd.comment.strip() or None, clock.now()
    item = entry.item  # every vote, and every change of vote, is in the item's audit trail
    review.audit(item, cmd.user, f"vote_{Choice(cmd.choice).value}", item.status, item.stage,
                 vote.comment)
    uow.commit()
    return vote


def close_voting(cmd: CloseVoting, uow: UnitOfWork, rules: dict[str, Rule]) -> CommitteeSession:
    """The chair closes the vote: each entry is tallied and its item decided, or left for later."""
    found = _chaired(uow.session, cmd.user, cmd.session_id)
    domain.check_status(found.status, SessionStatus.OPEN)
    for entry in found.agenda:
        _conclude(entry, found.member_count, rules, cmd.user, uow)
    found.status, found.closed_by, found.closed_at = SessionStatus.CLOSED, cmd.user.name, clock.now()
    uow.commit()
    return found


def _conclude(entry: AgendaEntry, members: int, rules: dict[str, Rule], chair: Identity,
              uow: UnitOfWork) -> None:
    conclusion = domain.conclude([v.choice for v in entry.votes], members, entry.decision_type,
                                 rules)
    entry.tallies = conclusion.counts
    item = entry.item
    if item.status != ItemStatus.OPEN or item.stage != STAGE:
        entry.outcome = "skipped"  # decided or withdrawn since the agenda was set
        return
    entry.outcome, entry.exemplar = conclusion.outcome, conclusion.exemplar
    if conclusion.outcome == Outcome.NO_QUORUM:
        return  # stays open for the next session
    item.exemplar = item.exemplar or conclusion.exemplar
    uow.session.flush()  # the decision is written beside the ORM: the item's state goes first
    decision = Decision.APPROVE if conclusion.outcome == Outcome.APPROVED else Decision.REJECT
    review.record_decision(review.Decide(
        user=chair, item_id=item.id, decision=decision, comment=domain.REJECTION_REASON,
        expected_version=item.version), uow, by_vote=True)
    uow.session.expire(item)  # and is read again, as the decision left it
    if conclusion.exemplar:  # the award nomination, in the same transaction
        uow.handle(ExemplarChosen(item_id=item.id, session_id=entry.session_id, actor=chair))


def voters(found: CommitteeSession) -> dict[int, str]:
    """Who voted in the session (its attendance), in the order they first voted: one query,
    however long the agenda."""
    rows = object_session(found).execute(
        select(Vote.member_id, Vote.member_name).join(AgendaEntry)
        .where(AgendaEntry.session_id == found.id).order_by(Vote.id))
    attendance: dict[int, str] = {}
    for member_id, name in rows:
        attendance.setdefault(member_id, name)
    return attendance


def _chaired(db: Session, user: Identity, session_id: int) -> CommitteeSession:
    found = get_session(db, user, session_id)
    domain.check_chair(user)
    return found


def _entry(found: CommitteeSession, entry_id: int) -> AgendaEntry:
    entry = next((e for e in found.agenda if e.id == entry_id), None)
    if entry is None:
        raise NotFound()
    return entry
