"""The report's figures counted straight from the submissions, in Python: what the summary tables must give.

Written apart from the SQL on purpose — one row at a time, from the definitions in
``docs/reporting.md`` — so a test can set the two side by side.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_service.accounts.tables import User
from intake_service.periods import services as periods
from intake_service.periods.tables import Period
from intake_service.reporting import domain
from intake_service.results.tables import ReportFigure
from intake_service.submissions.tables import Submission
from shared.catalog import INDICATORS


@dataclass
class Figures:
    models: dict[tuple[str, str, str], int]  # (commune, field, subject) → registered models
    holders: dict[tuple[str, str], int]  # (commune, subject) → distinct units or people
    status: dict[str, domain.StatusRow]
    contributions: dict[str, Decimal]
    exemplars: int
    inspections: dict[str, int]
    dues: dict[int, dict]  # unit id → item → (status, day)


def _holder(s: Submission) -> str:
    name = s.unit_name if s.subject_type == "collective" else s.person_name
    return name if name is not None else f"#{s.submitter_id}"


def figures(db: Session, period: Period, codes: list[str] | None, now: datetime, today: date) -> Figures:
    """Everything the summary tables stand for, for one period and area (``None``: the country)."""
    rows = [s for s in db.scalars(select(Submission).where(Submission.period_id == period.id))
            if codes is None or s.commune_code in codes]
    registered = [s for s in rows if s.kind == "registration" and s.status in domain.REGISTERED]
    models: dict[tuple[str, str, str], int] = defaultdict(int)
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s in registered:
        models[(s.commune_code, s.field, s.subject_type)] += 1
        names[(s.commune_code, s.subject_type)].add(_holder(s))
    sent = [s for s in rows if s.status in (*domain.REGISTERED, "rejected")]
    status = {}
    for kind in ("registration", "result_report"):
        mine = [s for s in sent if s.kind == kind]
        if mine or kind == "registration":
            pending = [s for s in mine if s.status in domain.PENDING]
            status[kind] = domain.StatusRow(
                approved=sum(s.status == "approved" for s in mine),
                returned=sum(s.status == "returned" for s in mine), pending=len(pending),
                overdue=sum(s.review_due_at is not None and s.review_due_at < now for s in pending),
                rejected=sum(s.status == "rejected" for s in mine))
    sums = dict.fromkeys(INDICATORS, Decimal(0))
    approved_reports = {s.id for s in sent if s.kind == "result_report" and s.status == "approved"}
    for figure in db.scalars(select(ReportFigure).where(ReportFigure.submission_id.in_(approved_reports))):
        if figure.code in sums:
            sums[figure.code] += figure.value
    models_sent = [s for s in sent if s.kind == "registration"]
    outcomes = defaultdict(int)
    for s in models_sent:
        if s.inspection_outcome:
            outcomes[s.inspection_outcome] += 1
    holders = {key: len(found) for key, found in names.items()}
    return Figures(dict(models), holders, status, sums, sum(bool(s.exemplar) for s in models_sent),
                   dict(outcomes), _dues(db, period, codes, today))


def _dues(db: Session, period: Period, codes: list[str] | None, today: date) -> dict[int, dict]:
    """The periods feature's own reckoning of each unit's due items (``periods.services``)."""
    units = [u for u in db.scalars(select(User).where(User.role == "submitter"))
             if codes is None or u.scope in codes]
    sent = periods.first_sent_days(db, [u.id for u in units])
    return {u.id: periods.unit_statuses(period, u.id, sent, today) for u in units}


def summarised(report, db: Session, period: Period, codes: list[str] | None, today: date) -> Figures:
    """The same figures as the summary tables give them (``reporting.queries``), for comparing."""
    from intake_service.reporting import queries

    models = {(r.commune, r.field, r.subject): r.models for r in queries.model_rows(db, period, codes)
              if r.models}
    holders = {(r.commune, r.subject): r.holders for r in queries.holder_rows(db, period, codes)}
    return Figures(models, holders, report.status, report.contributions,
                   report.recognition["exemplars"]["exemplar"], report.recognition["inspections"],
                   {unit.id: items for unit, items in report.dues})
