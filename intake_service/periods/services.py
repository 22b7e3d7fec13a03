"""Handlers of the periods feature: plain functions taking a command and a unit of work.

Queries that only read (what is due) take a session. The reminders are notifications
(``notifications.services.tell``); reading and marking them is the notifications' own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake_service.accounts.tables import User
from intake_service.directory import places
from intake_service.notifications.services import tell
from intake_service.periods import domain
from intake_service.periods.domain import DUE_ITEMS, DueStatus
from intake_service.periods.tables import Period, ReminderSent
from intake_service.submissions.tables import HistoryEntry, Submission
from shared import clock
from shared.errors import NotFound, NotPermitted
from shared.identity import Identity, Role, is_admin, is_submitter, reads_commune, reads_district
from shared.uow import UnitOfWork

REMINDER_KEYS = {"before": "period.reminder_before", "after": "period.reminder_after"}


class PeriodExists(Exception):
    """A period of this kind is already open for that year."""


@dataclass(frozen=True)
class OpenPeriod:
    user: Identity
    kind: str
    year: int
    due_items: tuple[str, ...]
    opens_on: date
    deadline: date


@dataclass(frozen=True)
class ClosePeriod:
    user: Identity
    period_id: int


@dataclass(frozen=True)
class SendReminders:
    today: date


def _admin_only(user: Identity) -> None:
    if not is_admin(user):
        raise NotPermitted()


def open_period(cmd: OpenPeriod, uow: UnitOfWork) -> Period:
    """Open a reporting period with its deadline."""
    _admin_only(cmd.user)
    period = Period(kind=cmd.kind, year=cmd.year, opens_on=cmd.opens_on, deadline=cmd.deadline,
                    due_registrations="registrations" in cmd.due_items,
                    due_reports="reports" in cmd.due_items, opened_by=cmd.user.name)
    uow.session.add(period)
    try:
        uow.commit()
    except IntegrityError as clash:
        raise PeriodExists() from clash
    return period


def close_period(cmd: ClosePeriod, uow: UnitOfWork) -> Period:
    """Close a period: it leaves the units' due lists and gets no more reminders."""
    _admin_only(cmd.user)
    period = uow.session.get(Period, cmd.period_id)
    if period is None:
        raise NotFound()
    period.closed_at = period.closed_at or clock.now()
    uow.commit()
    return period


def all_periods(session: Session) -> list[Period]:
    return list(session.scalars(select(Period).order_by(Period.year.desc(), Period.opens_on.desc())))


def open_periods(session: Session) -> list[Period]:
    query = select(Period).where(Period.closed_at.is_(None)).order_by(Period.deadline)
    return list(session.scalars(query))


# ---- what is due ----------------------------------------------------------------------------


def units_visible_to(session: Session, user: Identity) -> list[User]:
    """The unit submitters whose dues a user may see: itself, its commune's, or all."""
    query = select(User).where(User.role == Role.SUBMITTER).order_by(User.scope, User.name)
    if is_submitter(user):
        query = query.where(User.id == user.id)
    elif reads_commune(user):
        query = query.where(User.scope == user.scope)
    elif reads_district(user):
        communes = places.communes(session, user.scope)  # a district's: its communes' units
        if not communes:
            raise NotPermitted()
        query = query.where(User.scope.in_(list(communes)))
    return list(session.scalars(query))


def first_sent_days(session: Session,
                    unit_ids: list[int]) -> dict[tuple[int, str], list[tuple[date, int | None]]]:
    """For each unit and submission kind, the days (in Vietnam) each submission was first sent."""
    first_sent = (
        select(Submission.submitter_id, Submission.kind, Submission.period_id,
               func.min(HistoryEntry.at))
        .join(HistoryEntry, HistoryEntry.submission_id == Submission.id)
        .where(Submission.submitter_id.in_(unit_ids), Submission.status != "withdrawn",
               HistoryEntry.to_status == "submitted")
        .group_by(Submission.id, Submission.submitter_id, Submission.kind, Submission.period_id)
    )
    days: dict[tuple[int, str], list[tuple[date, int | None]]] = defaultdict(list)
    for unit_id, kind, period_id, at in session.execute(first_sent):
        days[(unit_id, kind)].append((domain.local_date(_aware(at)), period_id))
    return days


def _aware(moment: datetime) -> datetime:
    # func.min() bypasses the column type, so SQLite hands back a naive UTC value (or a string).
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def unit_statuses(period: Period, unit_id: int,
                  sent: dict[tuple[int, str], list[tuple[date, int | None]]],
                  today: date) -> dict[str, tuple[DueStatus, date | None]]:
    """Each due item of a period for one unit: its status and the day it was sent."""
    result = {}
    for item in period.due_items:
        # A submission that names its period counts for that period alone; one that does not
        # (sent before periods were recorded) counts for the period it was sent in.
        days = [day for day, period_id in sent.get((unit_id, DUE_ITEMS[item]), [])
                if day >= period.opens_on and period_id in (None, period.id)]
        first = min(days) if days else None
        result[item] = (domain.due_status(period.deadline, first, today), first)
    return result


@dataclass(frozen=True)
class UnitDue:
    unit: User
    commune: str
    items: dict[str, tuple[DueStatus, date | None]]


def dues(session: Session, user: Identity, today: date) -> list[tuple[Period, list[UnitDue]]]:
    """What is due in each open period, per unit the user may see."""
    units = units_visible_to(session, user)
    sent = first_sent_days(session, [u.id for u in units])
    commune_names = places.names(session, {u.scope for u in units})
    return [(period, [UnitDue(u, commune_names.get(u.scope, u.scope),
                              unit_statuses(period, u.id, sent, today)) for u in units])
            for period in open_periods(session)]


# ---- reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminded:
    user_id: int
    notification_id: int
    reminder_id: int


def send_reminders(cmd: SendReminders, uow: UnitOfWork, schedule: domain.Schedule) -> list[Reminded]:
    """Notify each unit that still owes something on today's reminder day, once per period and day."""
    reminded: list[Reminded] = []
    for period in open_periods(uow.session):
        milestone = domain.current_milestone(period.opens_on, period.deadline, cmd.today, schedule)
        if milestone is not None:
            reminded += _remind(period, milestone, cmd.today, uow)
    uow.commit()
    return reminded


def _remind(period: Period, milestone: domain.Milestone, today: date,
            uow: UnitOfWork) -> list[Reminded]:
    session = uow.session
    units = list(session.scalars(select(User).where(User.role == Role.SUBMITTER).order_by(User.id)))
    sent = first_sent_days(session, [u.id for u in units])
    owed = {u.id: domain.outstanding_items({item: status for item, (status, _) in
                                            unit_statuses(period, u.id, sent, today).items()})
            for u in units}
    already = {(user_id, key) for user_id, key in session.execute(
        select(ReminderSent.user_id, ReminderSent.milestone)
        .where(ReminderSent.period_id == period.id))}
    reminded = []
    for user_id, items in domain.plan_reminders(milestone, owed, already).items():
        note = tell(uow, user_id, REMINDER_KEYS[milestone.when], _params(period, items))
        session.flush()
        record = ReminderSent(period_id=period.id, user_id=user_id, milestone=milestone.key,
                              sent_on=today, notification_id=note.id)
        session.add(record)
        session.flush()
        reminded.append(Reminded(user_id, note.id, record.id))
    return reminded


def _params(period: Period, items: list[str]) -> dict:
    return {"period_id": period.id, "kind": period.kind, "year": period.year,
            "deadline": period.deadline.isoformat(), "items": items}


def mark_emailed(uow: UnitOfWork, reminder_ids: list[int]) -> None:
    for reminder in uow.session.scalars(select(ReminderSent).where(ReminderSent.id.in_(reminder_ids))):
        reminder.emailed_at = clock.now()
    uow.commit()
