"""The report's summary tables, kept current from the submissions.

A **group** is a period and a commune. A group's rows in ``report_tallies`` (sent
registrations and result reports by field, subject type and review status, with
exemplars and inspection outcomes), ``report_holder_tallies`` (distinct units and
people), ``report_figure_tallies`` (approved result reports' figures) and
``report_first_sent`` (when each unit first sent something of the period) are
recomputed together from the submissions, their figures and their history, and
replace the old ones: recomputing a group twice gives the same rows.

A refresh recomputes the groups of the submissions changed since the last refresh
(``updated_at``, which every change a report counts moves) and the groups a
submission left (``report_regrouped``). "Since" reaches back ``LATE_COMMIT_MARGIN``
before the last refresh began, so a change whose transaction committed after that
refresh had looked is still found by the next one; the changes already counted
within that margin are remembered (``report_tally_seen``, a submission id and its
``updated_at``), so only new ones cost a recomputation. The first refresh, and a
daily rebuild on the scheduler, recompute every group: a net under anything the
margin missed.
A refresh runs before a report is built (a report is never behind the data) and
every minute on the scheduler (so that one has little to do).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    String,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from intake_service.periods.domain import DUE_ITEMS, VIETNAM
from intake_service.periods.tables import Period
from intake_service.reporting import domain
from intake_service.reporting.tables import (
    FigureTally,
    FirstSent,
    HolderTally,
    RegroupedFrom,
    Tally,
    TallyMark,
    TallySeen,
)
from intake_service.results.tables import ReportFigure
from intake_service.submissions.tables import HistoryEntry, Submission
from shared import clock

LATE_COMMIT_MARGIN = timedelta(minutes=10)  # far longer than any transaction that writes submissions
KINDS = ("registration", "result_report")  # the kinds of submission a report counts
SENT = (*domain.REGISTERED, "rejected")
CHUNK = 5000  # communes per statement: within every engine's limit on parameters
MARK = 1  # the one row of ``report_tally_marks``
TABLES = (Tally, HolderTally, FigureTally, FirstSent)

Groups = dict[int, set[str]]  # period id → communes


def refresh(engine: Engine, now: datetime | None = None) -> int:
    """Bring the summary tables up to date; return how many groups were recomputed (-1: all)."""
    now = now or clock.now()
    with engine.connect() as db:  # most refreshes find nothing new, and take no lock for it
        watermark = db.scalar(select(TallyMark.watermark).where(TallyMark.id == MARK))
        if watermark is not None and not _unseen(db, watermark) and not _regrouped(db):
            return 0
    with engine.begin() as db:
        _lock(db)  # one refresh at a time; it also reads what the one before it wrote
        watermark = db.scalar(select(TallyMark.watermark).where(TallyMark.id == MARK))
        if watermark is None:
            _rebuild(db, now)
            return -1
        changes, regrouped = _unseen(db, watermark), _regrouped(db)
        groups: Groups = defaultdict(set)
        for _id, _at, period_id, commune in changes:
            if period_id is not None:
                groups[period_id].add(commune)
        for _id, period_id, commune in regrouped:
            groups[period_id].add(commune)
        for period_id, opens_on in _periods(db, groups):
            for communes in _chunks(sorted(groups[period_id])):
                _recompute(db, period_id, opens_on, communes)
        if regrouped:
            db.execute(delete(RegroupedFrom).where(RegroupedFrom.id <= max(r[0] for r in regrouped)))
        _seen(db, [(sid, at) for sid, at, _p, _c in changes], now)
        return sum(len(communes) for communes in groups.values())


def rebuild(engine: Engine, now: datetime | None = None) -> None:
    """Recompute every group from the submissions."""
    with engine.begin() as db:
        _lock(db)
        _rebuild(db, now or clock.now())


def note_leaving(session: Session, submission: Submission, period_id: int | None, commune_code: str) -> None:
    """Before a saved submission moves to another period or commune: its old group is recomputed too."""
    if submission.id is None or submission.period_id is None:
        return
    if (submission.period_id, submission.commune_code) != (period_id, commune_code):
        session.add(RegroupedFrom(period_id=submission.period_id, commune_code=submission.commune_code))


def _lock(db: Connection) -> None:
    # A write first: PostgreSQL locks the row, SQLite takes its one writer's lock before reading.
    touched = update(TallyMark).where(TallyMark.id == MARK).values(watermark=TallyMark.watermark)
    if not db.execute(touched).rowcount:
        db.execute(insert(TallyMark).values(id=MARK))


def _rebuild(db: Connection, now: datetime) -> None:
    window = list(db.execute(select(Submission.id, Submission.updated_at).where(*_window(now))))
    for table in (*TABLES, RegroupedFrom, TallySeen):
        db.execute(delete(table))
    for period_id, opens_on in db.execute(select(Period.id, Period.opens_on)).all():
        _recompute(db, period_id, opens_on, None)
    _seen(db, window, now)  # read before counting: a change made meanwhile is counted next time
    db.execute(update(TallyMark).where(TallyMark.id == MARK).values(rebuilt_at=now))


def _window(watermark: datetime) -> list:
    return [Submission.updated_at >= watermark - LATE_COMMIT_MARGIN, Submission.kind.in_(KINDS)]


def _unseen(db: Connection, watermark: datetime) -> list[tuple[int, datetime, int | None, str]]:
    """Changes made since ``watermark`` less the margin that no refresh has counted yet."""
    seen = and_(TallySeen.submission_id == Submission.id, TallySeen.updated_at == Submission.updated_at)
    return list(db.execute(
        select(Submission.id, Submission.updated_at, Submission.period_id, Submission.commune_code)
        .outerjoin(TallySeen, seen).where(*_window(watermark), TallySeen.submission_id.is_(None))))


def _regrouped(db: Connection) -> list[tuple[int, int, str]]:
    return list(db.execute(select(RegroupedFrom.id, RegroupedFrom.period_id, RegroupedFrom.commune_code)))


def _seen(db: Connection, counted: list[tuple[int, datetime]], now: datetime) -> None:
    """Remember the changes just counted; forget those the next refresh will not look at."""
    db.execute(delete(TallySeen).where(TallySeen.updated_at < now - LATE_COMMIT_MARGIN))
    if counted:
        db.execute(insert(TallySeen), [{"submission_id": sid, "updated_at": at} for sid, at in counted])
    db.execute(update(TallyMark).where(TallyMark.id == MARK).values(watermark=now))


def _periods(db: Connection, groups: Groups) -> list[tuple[int, date]]:
    if not groups:
        return []
    return list(db.execute(select(Period.id, Period.opens_on).where(Period.id.in_(list(groups)))))


def _chunks(communes: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(communes), CHUNK):
        yield communes[start:start + CHUNK]


def _recompute(db: Connection, period_id: int, opens_on: date, communes: list[str] | None) -> None:
    """Replace the rows of a period's groups (``None``: all its communes) with fresh ones."""
    for table, query in ((Tally, _tallies(period_id, communes)),
                         (HolderTally, _holders(period_id, communes)),
                         (FigureTally, _figures(period_id, communes)),
                         (FirstSent, _first_sent(period_id, opens_on, communes))):
        db.execute(delete(table).where(*_group(table, period_id, communes)))
        db.execute(insert(table).from_select([c.name for c in query.selected_columns], query))


def _group(table, period_id: int, communes: list[str] | None) -> list:
    where = [table.period_id == period_id]
    if communes is not None:
        where.append(table.commune_code.in_(communes))
    return where


def _count_if(condition):
    return func.count().filter(condition)


def _tallies(period_id: int, communes: list[str] | None):
    status, outcome = Submission.status, Submission.inspection_outcome
    return (select(Submission.period_id.label("period_id"), Submission.commune_code.label("commune_code"),
                   Submission.kind.label("kind"), Submission.field.label("field"),
                   Submission.subject_type.label("subject_type"),
                   _count_if(status.in_(domain.REGISTERED)).label("registered"),
                   _count_if(status == "approved").label("approved"),
                   _count_if(status == "returned").label("returned"),
                   _count_if(status.in_(domain.PENDING)).label("pending"),
                   _count_if(status == "rejected").label("rejected"),
                   _count_if(Submission.exemplar.is_(True)).label("exemplars"),
                   _count_if(outcome == "verified").label("verified"),
                   _count_if(outcome == "partly_verified").label("partly_verified"),
                   _count_if(outcome == "not_verified").label("not_verified"))
            .where(*_group(Submission, period_id, communes), Submission.kind.in_(KINDS),
                   status.in_(SENT))
            .group_by(Submission.period_id, Submission.commune_code, Submission.kind, Submission.field,
                      Submission.subject_type))


def _holder():
    """A model's holder: its unit's or person's name, else its submitter."""
    name = case((Submission.subject_type == "collective", Submission.unit_name),
                else_=Submission.person_name)
    return func.coalesce(name, literal("#") + cast(Submission.submitter_id, String))


def _holders(period_id: int, communes: list[str] | None):
    return (select(Submission.period_id.label("period_id"), Submission.commune_code.label("commune_code"),
                   Submission.subject_type.label("subject_type"),
                   func.count(_holder().distinct()).label("holders"))
            .where(*_group(Submission, period_id, communes), Submission.kind == "registration",
                   Submission.status.in_(domain.REGISTERED))
            .group_by(Submission.period_id, Submission.commune_code, Submission.subject_type))


def _figures(period_id: int, communes: list[str] | None):
    # Summed as the stored whole thousandths: exact on every engine.
    return (select(Submission.period_id.label("period_id"), Submission.commune_code.label("commune_code"),
                   Submission.field.label("field"), ReportFigure.code.label("code"),
                   func.sum(type_coerce(ReportFigure.value, BigInteger)).label("thousandths"))
            .join(ReportFigure, ReportFigure.submission_id == Submission.id)
            .where(*_group(Submission, period_id, communes), Submission.kind == "result_report",
                   Submission.status == "approved")
            .group_by(Submission.period_id, Submission.commune_code, Submission.field, ReportFigure.code))


def sent():
    """History rows of sending, written as a literal: the planner may then use their own index."""
    return HistoryEntry.to_status == literal("submitted", literal_execute=True)


def start_of(day: date) -> datetime:
    """The first moment of a day in Vietnam, in UTC."""
    return datetime.combine(day, time(), VIETNAM).astimezone(UTC)


def _first_sent(period_id: int, opens_on: date, communes: list[str] | None):
    """The periods' rule (``periods.domain.due_status``): the first moment a unit sent a
    registration or a result report of the period, from the period's opening."""
    return (select(Submission.period_id.label("period_id"), Submission.commune_code.label("commune_code"),
                   Submission.submitter_id.label("submitter_id"), Submission.kind.label("kind"),
                   func.min(HistoryEntry.at).label("first_at"))
            .join(HistoryEntry, HistoryEntry.submission_id == Submission.id)
            .where(*_group(Submission, period_id, communes), Submission.kind.in_(list(DUE_ITEMS.values())),
                   Submission.status != "withdrawn", sent(), HistoryEntry.at >= start_of(opens_on))
            .group_by(Submission.period_id, Submission.commune_code, Submission.submitter_id,
                      Submission.kind))
