"""The report's handlers: build a report for an org unit and a period; queue and run its exports.

Reading a report takes a session; exports are commands run through a unit of work,
the long part in the rq job (``jobs``) so a national export never holds a request.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake_service.periods.domain import DueStatus
from intake_service.periods.tables import Period
from intake_service.reporting import domain, queries, tallies
from intake_service.reporting.domain import Delta, Registered, StatusRow
from intake_service.reporting.tables import FORMATS, UNFINISHED, ReportExport
from shared import clock
from shared.catalog import INDICATORS
from shared.errors import InvalidInput, NotFound, NotPermitted
from shared.identity import Identity, reads_reports
from shared.uow import UnitOfWork

PARALLEL_QUERIES = 4  # connections one report uses at once (the pool holds 10 per process)


@dataclass(frozen=True)
class Row:
    """One line of the breakdown: a commune (a province, for the country) and its table."""

    code: str
    name: str
    registered: Registered
    became: str | None = None  # the unit that holds its area today, when it has merged since


@dataclass
class Report:
    org_code: str
    org_name: str
    period: Period
    period_end: date
    registered: Registered
    rows: list[Row]
    previous: Period | None
    deltas: dict[str, Delta]
    contributions: dict[str, Decimal]  # indicator code → total
    contributions_by_field: dict[str, dict[str, Decimal]]
    contribution_deltas: dict[str, Delta]
    status: dict[str, StatusRow]
    dues: list[tuple[object, dict[str, tuple[DueStatus, date | None]]]]
    due_summary: dict[str, dict[str, int]]
    recognition: dict[str, dict[str, int]]
    over_periods: list[tuple[Period, int]] = field(default_factory=list)

    @property
    def late_or_missing(self) -> list[tuple[object, str, DueStatus, date | None]]:
        """Units that reported late or not at all, item by item."""
        return [(unit, item, status, day) for unit, items in self.dues
                for item, (status, day) in items.items()
                if status in (DueStatus.LATE, DueStatus.MISSING)]


def check_reader(user: Identity) -> None:
    if not reads_reports(user):
        raise NotPermitted()


def check_scope(session: Session, user: Identity, org_code: str,
                tree: domain.Tree | None = None) -> domain.Tree:
    """Refuse a reader an org unit outside their area; return the tree for what follows."""
    check_reader(user)
    tree = tree or queries.tree(session)
    if not domain.may_see(tree, user.role, user.scope, org_code):
        raise NotPermitted()
    return tree


def build_report(session: Session, user: Identity, org_code: str, period: Period, today: date,
                 tree: domain.Tree | None = None) -> Report:
    """Everything the report shows for ``org_code`` (or the country, ``*``) and ``period``."""
    tree = check_scope(session, user, org_code, tree)
    if org_code != domain.COUNTRY and org_code not in tree.units:
        raise NotFound()
    codes = None if org_code == domain.COUNTRY else tree.communes(org_code)
    tallies.refresh(_engine(session))  # the summary tables catch up with the submissions first
    end = domain.period_end(period.kind, period.year, period.deadline)
    now = clock.now()  # overdue: waiting past the due time review gave its stage
    previous = queries.period_named(session, *domain.previous_of(period.kind, period.year))
    series = queries.periods_of_kind(session, period.kind, period.year)
    if previous is not None and previous not in series:
        series.insert(0, previous)
    got = side_by_side(session, {
        "detail": lambda db: queries.model_rows(db, period, codes),
        "holders": lambda db: queries.holder_rows(db, period, codes),
        "holders_before": lambda db: queries.holder_rows(db, previous, codes) if previous else [],
        "series": lambda db: queries.series_rows(db, series, codes),
        "figures": lambda db: queries.contribution_rows(db, period, codes),
        "figures_before": lambda db: queries.contribution_rows(db, previous, codes) if previous else None,
        "dues": lambda db: queries.timeliness(db, period, codes, today),
        "status": lambda db: queries.status_rows(db, period, codes, now),
        "nominations": lambda db: queries.nominations(db, period, codes),
    })
    detail = got["detail"]
    registered, rows = _registered(tree, org_code, end, detail, got["holders"], today)
    before = domain.registered_from_series(got["series"], previous.id, _holder_totals(
        got["holders_before"])) if previous else None
    totals = {p.id: domain.registered_from_series(got["series"], p.id, {}).total for p in series}
    contributions, by_field = _contributions(got["figures"])
    before_sums = _contributions(got["figures_before"])[0] if previous else None
    status = domain.shape_status(got["status"])
    status.setdefault("registration", StatusRow())
    nominated, awards = got["nominations"]
    return Report(
        org_code=org_code, org_name=_org_name(tree, org_code), period=period, period_end=end,
        registered=registered, rows=rows, previous=previous,
        deltas=domain.compare(registered, before), contributions=contributions,
        contributions_by_field=by_field,
        contribution_deltas=domain.compare_sums(contributions, before_sums),
        status=status, dues=got["dues"], due_summary=due_summary(got["dues"]),
        recognition={**domain.recognition_of(detail), "nominations": nominated, "awards": awards},
        over_periods=[(p, totals[p.id]) for p in series if p.kind == period.kind and p.year <= period.year])


def side_by_side(session: Session, asked: dict[str, Callable[[Session], object]]) -> dict[str, object]:
    """Run independent read-only queries at the same time, each on a connection of its own.

    A national report's questions each read hundreds of thousands of rows; asked one after
    another they add up, asked together the database works on them side by side.
    """
    engine = _engine(session)

    def ask(question: Callable[[Session], object]) -> object:
        with Session(engine) as own:
            return question(own)

    with ThreadPoolExecutor(max_workers=PARALLEL_QUERIES) as pool:
        futures = {name: pool.submit(ask, question) for name, question in asked.items()}
        return {name: future.result() for name, future in futures.items()}


def _engine(session: Session):
    bind = session.get_bind()
    return getattr(bind, "engine", bind)


class ReportCache:
    """Reports already built, kept until anything they count changes (``queries.data_version``).

    A district's or the country's report reads hundreds of thousands of rows; between two
    changes every reader of the same org unit and period gets the same figures.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self._reports: dict[tuple, Report] = {}

    def get(self, session: Session, user: Identity, org_code: str, period: Period, today: date,
            tree: domain.Tree | None = None) -> Report:
        tree = check_scope(session, user, org_code, tree)  # whose report it is, before any cache
        key = (org_code, period.id, today, queries.data_version(session))
        if key not in self._reports:
            if len(self._reports) >= self.size:
                self._reports.pop(next(iter(self._reports)))
            self._reports[key] = build_report(session, user, org_code, period, today, tree)
        return self._reports[key]

    def clear(self) -> None:
        self._reports.clear()


def _holder_totals(rows: list[domain.HolderRow]) -> dict[str, int]:
    """Holders of the whole area: counted per commune, so the communes' counts add up."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.subject] = totals.get(row.subject, 0) + row.holders
    return totals


def _org_name(tree: domain.Tree, code: str) -> str:
    return "" if code == domain.COUNTRY else tree.name(code)


def _registered(tree: domain.Tree, org_code: str, end: date, detail: list[domain.ModelRow],
                holders: list[domain.HolderRow], today: date) -> tuple[Registered, list[Row]]:
    cache: dict[str, str] = {}

    def row_of(commune: str) -> str:
        if commune not in cache:
            cache[commune] = tree.row_of(commune, org_code, end)
        return cache[commune]

    total, by_row = domain.shape_registered(detail, holders, row_of)
    rows = []
    for code, registered in by_row.items():
        now = tree.roll_up(code, today)
        rows.append(Row(code, tree.name(code), registered, tree.name(now) if now != code else None))
    rows.sort(key=lambda r: r.name)
    return total, rows


def _contributions(found: list[tuple[str, str, Decimal]]) -> tuple[dict[str, Decimal],
                                                                    dict[str, dict[str, Decimal]]]:
    by_field = {f: domain.totals_of(((code, value) for f2, code, value in found if f2 == f), INDICATORS)
                for f in domain.FIELD_CODES}
    return domain.totals_of(((code, value) for _f, code, value in found), INDICATORS), by_field


def due_summary(dues) -> dict[str, dict[str, int]]:
    summary: dict[str, dict[str, int]] = {}
    for _unit, items in dues:
        for item, (status, _day) in items.items():
            counts = summary.setdefault(item, {s.value: 0 for s in DueStatus})
            counts[status.value] += 1
    return summary


# ---- exports -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartExport:
    user: Identity
    org_code: str
    period_id: int
    format: str
    language: str = "vi"


@dataclass(frozen=True)
class RunExport:
    export_id: int
    directory: Path


def start_export(cmd: StartExport, uow: UnitOfWork) -> ReportExport:
    """Record an export the user may have; the worker writes it."""
    check_reader(cmd.user)
    if cmd.format not in FORMATS:
        raise InvalidInput({"format": ["unknown format"]})
    session = uow.session
    tree = queries.tree(session)
    if not domain.may_see(tree, cmd.user.role, cmd.user.scope, cmd.org_code):
        raise NotPermitted()
    period = session.get(Period, cmd.period_id)
    if period is None or (cmd.org_code != domain.COUNTRY and cmd.org_code not in tree.units):
        raise NotFound()
    export = ReportExport(user_id=cmd.user.id, org_code=cmd.org_code, period_id=period.id,
                          format=cmd.format, language=cmd.language, status="queued")
    session.add(export)
    uow.commit()
    return export


def get_own(session: Session, user: Identity, export_id: int) -> ReportExport:
    export = session.get(ReportExport, export_id)
    if export is None or export.user_id != user.id:
        raise NotFound()
    return export


def recent_exports(session: Session, user: Identity, limit: int = 10) -> list[ReportExport]:
    query = (select(ReportExport).where(ReportExport.user_id == user.id)
             .order_by(ReportExport.id.desc()).limit(limit))
    return list(session.scalars(query))


Writer = Callable[[Report, Callable[[int, int], None]], bytes]


def run_export(cmd: RunExport, uow: UnitOfWork, user: Identity, write: Writer, today: date) -> str:
    """Build the report and write its file, moving the progress bar; a second run finds it claimed."""
    with uow:
        claimed = uow.session.execute(
            update(ReportExport).where(ReportExport.id == cmd.export_id, ReportExport.status == "queued")
            .values(status="running", total=1, processed=0)).rowcount
        uow.commit()
    if not claimed:
        return "skipped"
    with uow:
        export = uow.session.get(ReportExport, cmd.export_id)
        period = uow.session.get(Period, export.period_id)
        report = build_report(uow.session, user, export.org_code, period, today)
        uow.session.expunge_all()  # the report's rows stay readable once this transaction ends

    def progress(done: int, total: int) -> None:
        with uow:
            uow.session.execute(update(ReportExport).where(ReportExport.id == cmd.export_id)
                                .values(processed=done, total=max(total, 1)))
            uow.commit()

    data = write(report, progress)
    stored_name = f"{uuid4().hex}.{export.format}"
    cmd.directory.mkdir(parents=True, exist_ok=True)
    (cmd.directory / stored_name).write_bytes(data)
    finish(uow, cmd.export_id, "done", stored_name=stored_name)
    return "done"


def finish(uow: UnitOfWork, export_id: int, status: str, stored_name: str | None = None,
           error: str | None = None) -> None:
    with uow:
        values = {"status": status, "finished_at": clock.now(), "error": error}
        if stored_name:
            values |= {"stored_name": stored_name, "processed": ReportExport.total}
        uow.session.execute(update(ReportExport).where(ReportExport.id == export_id,
                                                       ReportExport.status.in_(UNFINISHED))
                            .values(**values))
        uow.commit()
