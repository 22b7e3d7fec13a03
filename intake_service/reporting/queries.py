"""The report's SQL: aggregates computed by the database, never rows shipped to Python one by one.

Each function takes the commune codes of the report's area (None: the whole
country, no filter) and returns small aggregate rows that ``domain`` shapes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import BigInteger, String, and_, case, cast, func, literal, or_, select, type_coerce
from sqlalchemy.orm import Session

from intake_service.directory.domain import OrgUnitState
from intake_service.directory.models import OrgUnit
from intake_service.models import Submission, User
from intake_service.periods import services as periods
from intake_service.periods.domain import VIETNAM, DueStatus
from intake_service.periods.models import Period
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


def _of_period(period: Period):
    """Registrations of the period: named so, or (sent before periods were recorded) made in it."""
    end = domain.period_end(period.kind, period.year, period.deadline)
    return or_(Submission.period_id == period.id,
               and_(Submission.period_id.is_(None), Submission.created_at >= _start_of(period.opens_on),
                    Submission.created_at < _start_of(end + timedelta(days=1))))


def _registered(period: Period, codes: Codes):
    return (Submission.kind == "registration", _of_period(period),
            Submission.status.in_(domain.REGISTERED), _in_area(Submission.commune_code, codes))


def model_rows(session: Session, period: Period, codes: Codes) -> list[ModelRow]:
    """Registered models per commune, field and subject type."""
    query = (select(Submission.commune_code, Submission.field, Submission.subject_type, func.count())
             .where(*_registered(period, codes))
             .group_by(Submission.commune_code, Submission.field, Submission.subject_type))
    return [ModelRow(*row) for row in session.execute(query)]


def holder_rows(session: Session, period: Period, codes: Codes) -> list[HolderRow]:
    """Distinct units (collective) and people (individual) per commune."""
    name = case((Submission.subject_type == "collective", Submission.unit_name),
                else_=Submission.person_name)
    holder = func.coalesce(name, literal("#") + cast(Submission.submitter_id, String))
    query = (select(Submission.commune_code, Submission.subject_type, func.count(holder.distinct()))
             .where(*_registered(period, codes))
             .group_by(Submission.commune_code, Submission.subject_type))
    return [HolderRow(*row) for row in session.execute(query)]


def totals_by_period(session: Session, period_list: list[Period], codes: Codes) -> dict[int, int]:
    """Registered models in each of these periods (the "over periods" chart)."""
    if not period_list:
        return {}
    query = (select(Submission.period_id, func.count())
             .where(Submission.kind == "registration", Submission.status.in_(domain.REGISTERED),
                    Submission.period_id.in_([p.id for p in period_list]),
                    _in_area(Submission.commune_code, codes))
             .group_by(Submission.period_id))
    return dict(session.execute(query).all())


def status_rows(session: Session, period: Period, codes: Codes,
                waiting_since: datetime) -> list[tuple[str, str, bool, int]]:
    """(kind, status, overdue, count) of the period's registrations and result reports."""
    overdue = and_(Submission.status.in_(domain.PENDING), Submission.updated_at < waiting_since)
    ours = or_(and_(Submission.kind == "registration", _of_period(period)),
               and_(Submission.kind == "result_report", Submission.period_id == period.id))
    query = (select(Submission.kind, Submission.status, overdue, func.count())
             .where(ours, _in_area(Submission.commune_code, codes))
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
    """Each unit of the area and where it stands on the period's due items (the periods' rules)."""
    query = select(User).where(User.role == "submitter", _in_area(User.scope, codes))
    units = list(session.scalars(query.order_by(User.scope, User.name)))
    sent = periods.first_sent_days(session, [u.id for u in units])
    return [(u, periods.unit_statuses(period, u.id, sent, today)) for u in units]


def recognition(session: Session, period: Period, codes: Codes) -> dict[str, dict[str, int]]:
    """Exemplars, inspection outcomes and nominations from review's outputs mirrored at intake.

    Zero everywhere until intake mirrors them (``intake_service.recognition``).
    """
    found: dict[str, dict[str, int]] = {"exemplars": {}, "inspections": {}, "nominations": {},
                                        "awards": {}}
    if not hasattr(Submission, "inspection_outcome"):
        return found
    registered = _registered(period, codes)
    found["exemplars"]["exemplar"] = session.scalar(
        select(func.count()).where(*registered, Submission.exemplar.is_(True))) or 0
    outcomes = (select(Submission.inspection_outcome, func.count())
                .where(*registered, Submission.inspection_outcome.is_not(None))
                .group_by(Submission.inspection_outcome))
    found["inspections"] = dict(session.execute(outcomes).all())
    try:
        from intake_service.recognition import Nomination
    except ImportError:
        return found
    named = (Nomination.period_id == period.id, _in_area(Nomination.commune_code, codes))
    found["nominations"] = dict(session.execute(
        select(Nomination.status, func.count()).where(*named).group_by(Nomination.status)).all())
    found["awards"] = dict(session.execute(
        select(Nomination.award_form, func.count()).where(*named, Nomination.status == "decided")
        .group_by(Nomination.award_form)).all())
    return found


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
