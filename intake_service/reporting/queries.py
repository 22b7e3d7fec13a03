"""The report's SQL: aggregates computed by the database, never rows shipped to Python one by one.

Each function takes the commune codes of the report's area (None: the whole
country, no filter) and returns small aggregate rows that ``domain`` shapes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import BigInteger, String, and_, case, cast, func, literal, or_, select, type_coerce
from sqlalchemy.orm import Session

from intake_service.directory.domain import OrgUnitState
from intake_service.directory.models import OrgUnit
from intake_service.models import HistoryEntry, Submission, User
from intake_service.periods.domain import DUE_ITEMS, VIETNAM, DueStatus, due_status, local_date
from intake_service.periods.models import Period
from intake_service.recognition import Nomination
from intake_service.reporting import domain
from intake_service.reporting.domain import HolderRow, ModelRow
from intake_service.reports.models import ReportFigure

Codes = list[str] | None


def tree(session: Session) -> domain.Tree:
    """The whole org tree, read as plain values in one query."""
    rows = session.execute(select(OrgUnit.code, OrgUnit.name, OrgUnit.level, OrgUnit.valid_from,
                                  OrgUnit.parent_code, OrgUnit.valid_to, OrgUnit.successor_code))
    return domain.Tree(OrgUnitState(*row) for row in rows)


def _in_area(column, codes: Codes):
    return literal(True) if codes is None else column.in_(codes)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), VIETNAM).astimezone(UTC)


def _count_if(condition):
    # COUNT(*) FILTER (WHERE …): one cheap test per row on PostgreSQL and SQLite alike.
    return func.count().filter(condition)


def _sent(kind: str, period_ids: list[int], codes: Codes):
    """A kind of submission of these periods that was sent (drafts and withdrawn ones never count)."""
    return (Submission.period_id.in_(period_ids), Submission.kind == kind,
            Submission.status.in_((*domain.REGISTERED, "rejected")),
            _in_area(Submission.commune_code, codes))


def model_rows(session: Session, period: Period, codes: Codes, waiting_since: datetime) -> list[ModelRow]:
    """Per commune, field and subject type: registered models, where they are in review, and what
    review made of them (exemplars, inspection outcomes). One pass over the period's registrations."""
    pending = Submission.status.in_(domain.PENDING)
    outcome = Submission.inspection_outcome
    query = (select(Submission.commune_code, Submission.field, Submission.subject_type,
                    _count_if(Submission.status.in_(domain.REGISTERED)),
                    _count_if(Submission.status == "approved"), _count_if(Submission.status == "returned"),
                    _count_if(pending), _count_if(and_(pending, Submission.updated_at < waiting_since)),
                    _count_if(Submission.status == "rejected"), _count_if(Submission.exemplar.is_(True)),
                    _count_if(outcome == "verified"), _count_if(outcome == "partly_verified"),
                    _count_if(outcome == "not_verified"))
             .where(*_sent("registration", [period.id], codes))
             .group_by(Submission.commune_code, Submission.field, Submission.subject_type))
    return [ModelRow(*row) for row in session.execute(query)]


def _holder():
    name = case((Submission.subject_type == "collective", Submission.unit_name),
                else_=Submission.person_name)
    return func.coalesce(name, literal("#") + cast(Submission.submitter_id, String))


def _registered(period_id: int, codes: Codes):
    return (Submission.period_id == period_id, Submission.kind == "registration",
            Submission.status.in_(domain.REGISTERED), _in_area(Submission.commune_code, codes))


def holder_rows(session: Session, period: Period, codes: Codes) -> list[HolderRow]:
    """Distinct units (collective) and people (individual) per commune."""
    query = (select(Submission.commune_code, Submission.subject_type, func.count(_holder().distinct()))
             .where(*_registered(period.id, codes))
             .group_by(Submission.commune_code, Submission.subject_type))
    return [HolderRow(*row) for row in session.execute(query)]


def series_rows(session: Session, period_list: list[Period], codes: Codes) -> list[tuple[int, str, str, int]]:
    """(period id, field, subject type, registered models) for each of these periods."""
    if not period_list:
        return []
    query = (select(Submission.period_id, Submission.field, Submission.subject_type, func.count())
             .where(Submission.period_id.in_([p.id for p in period_list]),
                    Submission.kind == "registration", Submission.status.in_(domain.REGISTERED),
                    _in_area(Submission.commune_code, codes))
             .group_by(Submission.period_id, Submission.field, Submission.subject_type))
    return list(session.execute(query))


def report_status_rows(session: Session, period: Period, codes: Codes,
                       waiting_since: datetime) -> list[tuple[str, str, bool, int]]:
    """(kind, status, overdue, count) of the period's result reports."""
    overdue = and_(Submission.status.in_(domain.PENDING), Submission.updated_at < waiting_since)
    query = (select(Submission.kind, Submission.status, overdue, func.count())
             .where(*_sent("result_report", [period.id], codes))
             .group_by(Submission.kind, Submission.status, overdue))
    return [(kind, status, bool(late), count) for kind, status, late, count in session.execute(query)]


def contribution_rows(session: Session, period: Period, codes: Codes) -> list[tuple[str, str, Decimal]]:
    """(field, indicator code, sum) over the approved result reports of the period."""
    # Summed as the stored whole thousandths (exact on every engine), scaled back here.
    thousandths = func.sum(type_coerce(ReportFigure.value, BigInteger))
    query = (select(Submission.field, ReportFigure.code, thousandths)
             .join(ReportFigure, ReportFigure.submission_id == Submission.id)
             .where(Submission.kind == "result_report", Submission.status == "approved",
                    Submission.period_id == period.id, _in_area(Submission.commune_code, codes))
             .group_by(Submission.field, ReportFigure.code))
    return [(f, code, Decimal(total or 0) / ReportFigure.value.type.SCALE)
            for f, code, total in session.execute(query)]


def timeliness(session: Session, period: Period, codes: Codes,
               today: date) -> list[tuple[User, dict[str, tuple[DueStatus, date | None]]]]:
    """Each unit of the area and where it stands on the period's due items.

    The periods' rules (``periods.domain.due_status``): the first day a submission of the
    period (or of no period) was sent, from the period's opening, against its deadline.
    The database finds that first moment per unit and kind, so a country's units take one query.
    """
    units_query = select(User.id, User.name, User.scope).where(User.role == "submitter",
                                                               _in_area(User.scope, codes))
    units = list(session.execute(units_query.order_by(User.scope, User.name)))  # light rows, not ORM
    in_area = select(User.id).where(User.role == "submitter", _in_area(User.scope, codes))
    first = (select(Submission.submitter_id, Submission.kind, func.min(HistoryEntry.at))
             .join(HistoryEntry, HistoryEntry.submission_id == Submission.id)
             .where(Submission.submitter_id.in_(in_area), _in_area(Submission.commune_code, codes),
                    Submission.kind.in_(list(DUE_ITEMS.values())),
                    Submission.status != "withdrawn", HistoryEntry.to_status == "submitted",
                    HistoryEntry.at >= _start_of(period.opens_on),
                    or_(Submission.period_id == period.id, Submission.period_id.is_(None)))
             .group_by(Submission.submitter_id, Submission.kind))
    sent = {(unit, kind): local_date(_aware(at)) for unit, kind, at in session.execute(first)}
    return [(u, {item: _due(period, sent.get((u.id, DUE_ITEMS[item])), today) for item in period.due_items})
            for u in units]


def _due(period: Period, day: date | None, today: date) -> tuple[DueStatus, date | None]:
    return due_status(period.deadline, day, today), day


def _aware(moment) -> datetime:
    # MIN() bypasses the column type: SQLite hands back a naive UTC value (or a string).
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def nominations(session: Session, period: Period, codes: Codes) -> tuple[dict[str, int], dict[str, int]]:
    """Award nominations of the period by status, and decided awards by form (review's, mirrored)."""
    named = (Nomination.period_id == period.id, _in_area(Nomination.commune_code, codes))
    by_status = dict(session.execute(
        select(Nomination.status, func.count()).where(*named).group_by(Nomination.status)).all())
    awards = dict(session.execute(
        select(Nomination.award_form_name, func.count())
        .where(*named, Nomination.status == "decided")
        .group_by(Nomination.award_form_name)).all())
    return by_status, awards


def data_version(session: Session) -> tuple:
    """What changes whenever anything a report counts changes: every state change of a submission
    leaves a history row, edits move ``updated_at``; the tree, units and review's mirror likewise.
    Each part is one index lookup
    (the tree's is a sum over a few thousand rows)."""
    tree_version = func.count(OrgUnit.id) + func.coalesce(func.sum(OrgUnit.version), 0)
    parts = (select(func.max(HistoryEntry.id)), select(func.max(Submission.updated_at)),
             select(tree_version), select(func.max(User.id)),
             select(func.max(Nomination.changed_at)), select(func.max(Period.id)))
    return tuple(str(session.scalar(part)) for part in parts)


def period_of(session: Session, period_id: int | None) -> Period | None:
    """The period asked for, or else the latest one."""
    if period_id is not None:
        return session.get(Period, period_id)
    return session.scalars(select(Period).order_by(Period.year.desc(), Period.opens_on.desc())
                           .limit(1)).first()


def period_named(session: Session, kind: str, year: int) -> Period | None:
    return session.scalars(select(Period).where(Period.kind == kind, Period.year == year)).first()


def periods_of_kind(session: Session, kind: str, up_to_year: int, count: int = 6) -> list[Period]:
    """The last ``count`` periods of a kind up to a year, oldest first."""
    query = (select(Period).where(Period.kind == kind, Period.year <= up_to_year)
             .order_by(Period.year.desc()).limit(count))
    return list(reversed(list(session.scalars(query))))


def waiting_for(session: Session, user, codes: Codes) -> int:
    """Submissions of the area in review at a stage the user works: what waits for them."""
    from shared.identity import STAGE_ROLES

    stages = [stage for stage, roles in STAGE_ROLES.items() if user.role in roles]
    if not stages:
        return 0
    return session.scalar(select(func.count()).where(
        Submission.status.in_(domain.PENDING), Submission.stage.in_(stages),
        _in_area(Submission.commune_code, codes))) or 0
