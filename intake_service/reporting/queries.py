"""The report's SQL: small aggregate rows, read from the summary tables (``tallies``).

Each function takes the commune codes of the report's area (None: the whole
country, no filter) and returns small aggregate rows that ``domain`` shapes.
The summary tables hold a few rows per period and commune, kept current from the
submissions; only what depends on the hour (overdue) is counted from the submissions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from intake_service.accounts.tables import User
from intake_service.directory.domain import OrgUnitState
from intake_service.directory.tables import OrgUnit
from intake_service.periods.domain import DUE_ITEMS, DueStatus, due_status, local_date
from intake_service.periods.tables import Period
from intake_service.recognition.tables import Nomination
from intake_service.reporting import domain, tallies
from intake_service.reporting.domain import HolderRow, ModelRow
from intake_service.reporting.tables import FigureTally, FirstSent, HolderTally, Tally
from intake_service.results.tables import ReportFigure
from intake_service.submissions.tables import HistoryEntry, Submission
from shared.identity import STAGE_ROLES, Role

Codes = list[str] | None


def tree(session: Session) -> domain.Tree:
    """The whole org tree, read as plain values in one query."""
    rows = session.execute(select(OrgUnit.code, OrgUnit.name, OrgUnit.level, OrgUnit.valid_from,
                                  OrgUnit.parent_code, OrgUnit.valid_to, OrgUnit.successor_code))
    return domain.Tree(OrgUnitState(*row) for row in rows)


def _in_area(column, codes: Codes):
    return literal(True) if codes is None else column.in_(codes)


def _waiting():
    # Written as literals, not parameters: only then may the planner use the index of waiting ones.
    return Submission.status.in_([literal(status, literal_execute=True) for status in domain.PENDING])


def model_rows(session: Session, period: Period, codes: Codes) -> list[ModelRow]:
    """Per commune, field and subject type: registered models, and what review made of them
    (exemplars, inspection outcomes), from the summary tables."""
    query = (select(Tally.commune_code, Tally.field, Tally.subject_type, Tally.registered, Tally.exemplars,
                    Tally.verified, Tally.partly_verified, Tally.not_verified)
             .where(Tally.period_id == period.id, Tally.kind == "registration",
                    _in_area(Tally.commune_code, codes)))
    return [ModelRow(*row) for row in session.connection().execute(query)]


def holder_rows(session: Session, period: Period, codes: Codes) -> list[HolderRow]:
    """Distinct units (collective) and people (individual) per commune."""
    query = (select(HolderTally.commune_code, HolderTally.subject_type, HolderTally.holders)
             .where(HolderTally.period_id == period.id, _in_area(HolderTally.commune_code, codes)))
    return [HolderRow(*row) for row in session.execute(query)]


def series_rows(session: Session, period_list: list[Period], codes: Codes) -> list[tuple[int, str, str, int]]:
    """(period id, field, subject type, registered models) for each of these periods."""
    if not period_list:
        return []
    query = (select(Tally.period_id, Tally.field, Tally.subject_type, func.sum(Tally.registered))
             .where(Tally.period_id.in_([p.id for p in period_list]), Tally.kind == "registration",
                    _in_area(Tally.commune_code, codes))
             .group_by(Tally.period_id, Tally.field, Tally.subject_type))
    return [(pid, f, subject, int(models)) for pid, f, subject, models in session.execute(query)]


def status_rows(session: Session, period: Period, codes: Codes,
                now: datetime) -> list[tuple[str, str, bool, int]]:
    """(kind, status, overdue, count) of the period's registrations and result reports.

    Overdue (waiting past the due time review gave the stage, ``review_due_at``) depends on the
    hour it is asked: counted live, over the waiting submissions only.
    """
    sums = (select(Tally.kind, func.sum(Tally.approved), func.sum(Tally.returned), func.sum(Tally.pending),
                   func.sum(Tally.rejected))
            .where(Tally.period_id == period.id, _in_area(Tally.commune_code, codes))
            .group_by(Tally.kind))
    late = (select(Submission.kind, func.count())
            .where(Submission.period_id == period.id, Submission.kind.in_(tallies.KINDS), _waiting(),
                   Submission.review_due_at < now, _in_area(Submission.commune_code, codes))
            .group_by(Submission.kind))
    overdue = dict(session.execute(late).all())
    found = []
    for kind, approved, returned, pending, rejected in session.execute(sums):
        late_ones = min(overdue.get(kind, 0), int(pending))
        found += [(kind, "approved", False, int(approved)), (kind, "returned", False, int(returned)),
                  (kind, "pending", False, int(pending) - late_ones), (kind, "pending", True, late_ones),
                  (kind, "rejected", False, int(rejected))]
    return found


def contribution_rows(session: Session, period: Period, codes: Codes) -> list[tuple[str, str, Decimal]]:
    """(field, indicator code, sum) over the approved result reports of the period."""
    query = (select(FigureTally.field, FigureTally.code, func.sum(FigureTally.thousandths))
             .where(FigureTally.period_id == period.id, _in_area(FigureTally.commune_code, codes))
             .group_by(FigureTally.field, FigureTally.code))
    return [(f, code, Decimal(int(total or 0)) / ReportFigure.value.type.SCALE)
            for f, code, total in session.execute(query)]


def timeliness(session: Session, period: Period, codes: Codes,
               today: date) -> list[tuple[User, dict[str, tuple[DueStatus, date | None]]]]:
    """Each unit of the area and where it stands on the period's due items.

    The periods' rules (``periods.domain.due_status``): the first day a submission of the
    period (or of no period) was sent, from the period's opening, against its deadline.
    The summary tables hold that first moment per unit for the period's submissions; the few
    sent without a period are read from the submissions, since they count for any period.
    """
    units_query = select(User.id, User.name, User.scope).where(User.role == Role.SUBMITTER,
                                                               _in_area(User.scope, codes))
    units = list(session.execute(units_query.order_by(User.scope, User.name)))  # light rows, not ORM
    in_area = select(User.id).where(User.role == Role.SUBMITTER, _in_area(User.scope, codes))
    of_period = (select(FirstSent.submitter_id, FirstSent.kind, func.min(FirstSent.first_at))
                 .where(FirstSent.period_id == period.id, FirstSent.submitter_id.in_(in_area),
                        _in_area(FirstSent.commune_code, codes))
                 .group_by(FirstSent.submitter_id, FirstSent.kind))
    of_no_period = (select(Submission.submitter_id, Submission.kind, func.min(HistoryEntry.at))
                    .join(HistoryEntry, HistoryEntry.submission_id == Submission.id)
                    .where(Submission.period_id.is_(None), Submission.submitter_id.in_(in_area),
                           _in_area(Submission.commune_code, codes),
                           Submission.kind.in_(list(DUE_ITEMS.values())),
                           Submission.status != "withdrawn", tallies.sent(),
                           HistoryEntry.at >= tallies.start_of(period.opens_on))
                    .group_by(Submission.submitter_id, Submission.kind))
    sent: dict[tuple[int, str], date] = {}
    for query in (of_period, of_no_period):
        for unit, kind, at in session.execute(query):
            day = local_date(_aware(at))
            sent[(unit, kind)] = min(day, sent.get((unit, kind), day))
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
    stages = [stage for stage, roles in STAGE_ROLES.items() if user.role in roles]
    if not stages:
        return 0
    return session.scalar(select(func.count()).where(
        Submission.status.in_(domain.PENDING), Submission.stage.in_(stages),
        _in_area(Submission.commune_code, codes))) or 0
