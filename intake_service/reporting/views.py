"""The report pages: the report of an org unit and period, its charts, and its exports' progress."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from redis.exceptions import RedisError

from intake_service.periods import services as periods
from intake_service.periods.domain import today_in_vietnam
from intake_service.periods.texts import ITEM_LABELS
from intake_service.periods.texts import STATUS_LABELS as DUE_LABELS
from intake_service.reporting import charts, domain, jobs, queries, services, tallies, texts
from intake_service.reporting.tables import FORMATS
from intake_service.web import intake
from shared.catalog import FIELDS, INDICATORS, SUBJECT_TYPES, period_label
from shared.errors import NotFound, NotPermitted
from shared.identity import is_admin, is_submitter, reads_reports
from shared.web.auth import current_user, login_required

log = logging.getLogger(__name__)
bp = Blueprint("reporting", __name__, static_folder="static", static_url_path="/static/reporting")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIMETYPES = {"xlsx": XLSX, "pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
STATUS_CLASSES = {"queued": "", "running": "", "done": "approved", "failed": "rejected"}
# An SVG shown as an image draws its own text and bars with inline styles; nothing else is allowed.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


@dataclass
class Wiring:
    enqueue: jobs.Enqueuer
    reports: services.ReportCache


@bp.record_once
def _wire(state) -> None:
    intake = state.app.extensions["intake"]
    state.app.extensions.setdefault("reporting", Wiring(jobs.Enqueuer(intake.jobs),
                                                       services.ReportCache()))


def wiring() -> Wiring:
    return current_app.extensions["reporting"]


@bp.app_context_processor
def _helpers() -> dict:
    return {"report_texts": texts, "field_codes": domain.FIELD_CODES, "fields": FIELDS,
            "subject_types": SUBJECT_TYPES,
            "indicators": INDICATORS, "due_labels": DUE_LABELS, "item_labels": ITEM_LABELS}


def _requested(db) -> tuple[str, object, domain.Tree, list[str]]:
    """The org unit and period asked for; an org unit not in the directory falls back, with a message."""
    user = current_user()
    services.check_reader(user)
    tree = queries.tree(db)
    org = request.args.get("org") or user.scope
    messages = []
    if org != domain.COUNTRY and org not in tree.units:
        org = user.scope
        messages.append(_("That org unit is not in the directory; showing your own area."))
    if not domain.may_see(tree, user.role, user.scope, org):
        raise NotPermitted()
    period = queries.period_of(db, request.args.get("period", type=int))
    if period is None and request.args.get("period"):
        period = queries.period_of(db, None)
        messages.append(_("That reporting period does not exist; showing the latest one."))
    return org, period, tree, messages


def _report(db, org: str, period, tree: domain.Tree | None = None) -> services.Report:
    return wiring().reports.get(db, current_user(), org, period, today_in_vietnam(), tree)


def _choices(tree: domain.Tree, org: str) -> list[tuple[str, str]]:
    """Where the reader can go from here: up the tree, this unit, and the units just below it."""
    user = current_user()
    chain, code = [], org
    while code in tree.units and tree.units[code].parent_code:
        code = tree.units[code].parent_code
        chain.insert(0, code)
    below = [c for c in tree.children_of(None if org == domain.COUNTRY else org)
             if tree.units[c].level != "village"]
    codes = [c for c in [*chain, org, *sorted(below, key=tree.name)]
             if c == domain.COUNTRY or domain.may_see(tree, user.role, user.scope, c)]
    found = [(domain.COUNTRY, str(texts.COUNTRY_NAME))] if is_admin(user) else []
    return found + [(c, tree.name(c)) for c in dict.fromkeys(codes) if c != domain.COUNTRY]


@bp.get("/report")
@login_required
def show():
    """The semi-annual or annual report of an org unit: tables, charts, comparisons, exports."""
    with intake().sessions() as db:
        org, period, tree, messages = _requested(db)
        if period is None:
            return render_template("reporting/report.html", report=None, messages=messages,
                                   periods=[], choices=_choices(tree, org), org=org)
        report = _report(db, org, period, tree)
        with_periods = periods.all_periods(db)
        exports_list = services.recent_exports(db, current_user())
    return render_template("reporting/report.html", report=report, messages=messages, org=org,
                           periods=with_periods, choices=_choices(tree, org), formats=FORMATS,
                           exports=exports_list, export_labels=texts.EXPORT_STATUSES,
                           export_classes=STATUS_CLASSES), 422 if messages else 200


@bp.get("/report/charts/<name>.svg")
@login_required
def chart(name: str):
    """One of the report's charts as a small SVG (by field, by commune, over periods)."""
    if name not in ("fields", "communes", "periods"):
        raise NotFound()
    with intake().sessions() as db:
        org = request.args.get("org") or current_user().scope
        services.check_scope(db, current_user(), org)
        period = queries.period_of(db, request.args.get("period", type=int))
        if period is None:
            raise NotFound()
        report = _report(db, org, period)
    response = Response(_draw(name, report), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Cache-Control"] = "private, max-age=120"
    return response


def _draw(name: str, report: services.Report) -> bytes:
    if name == "fields":
        series = {str(SUBJECT_TYPES[s]): [report.registered.by_subject[s].by_field[f]
                                          for f in domain.FIELD_CODES] for s in domain.SUBJECT_CODES}
        return charts.by_field([str(FIELDS[f]) for f in domain.FIELD_CODES], series,
                               _("Models registered by field"))
    if name == "communes":
        title = _("Models registered by province") if report.org_code == domain.COUNTRY \
            else _("Models registered by commune")
        return charts.by_row([r.name for r in report.rows], [r.registered.total for r in report.rows], title)
    return charts.over_periods([period_label(p.kind, p.year) for p, _n in report.over_periods],
                               [n for _p, n in report.over_periods], _("Models registered, period by period"))


# ---- exports -------------------------------------------------------------------------------


@bp.post("/report/exports")
@login_required
def start_export():
    """Queue an export of the report; its page shows the progress and then the download."""
    fmt = request.form.get("format", "")
    period_id = request.form.get("period", type=int)
    org = request.form.get("org") or current_user().scope
    if fmt not in FORMATS or period_id is None:
        raise NotFound()
    cmd = services.StartExport(current_user(), org, period_id, fmt, str(get_locale() or "vi"))
    with intake().uow() as uow:
        export = services.start_export(cmd, uow)
    try:
        wiring().enqueue(export.id)
    except RedisError:
        log.exception("could not queue export %s", export.id)
        services.finish(intake().uow(), export.id, "failed", error="not_started")
    return redirect(url_for("reporting.export", export_id=export.id), 303)


@bp.get("/report/exports/<int:export_id>")
@login_required
def export(export_id: int):
    """An export's progress (htmx polls it every second), then its download link."""
    with intake().sessions() as db:
        found = services.get_own(db, current_user(), export_id)
        period = db.get(periods.Period, found.period_id)
    context = {"export": found, "labels": texts.EXPORT_STATUSES, "classes": STATUS_CLASSES,
               "period": period}
    if request.htmx and request.htmx.target == "export-progress":
        return render_template("reporting/_export_progress.html", **context)
    return render_template("reporting/export.html", **context)


@bp.get("/report/exports/<int:export_id>/download")
@login_required
def download(export_id: int):
    """Download a finished export."""
    with intake().sessions() as db:
        found = services.get_own(db, current_user(), export_id)
    if found.status != "done" or not found.stored_name:
        raise NotFound()
    path = jobs.export_directory(intake().settings) / found.stored_name
    if not path.is_file():
        raise NotFound()
    name = f"bao-cao-dvk-{found.org_code if found.org_code != domain.COUNTRY else 'toan-quoc'}.{found.format}"
    return send_file(path, mimetype=MIMETYPES[found.format], as_attachment=True, download_name=name,
                     max_age=0)


# ---- the dashboard ---------------------------------------------------------------------------


@bp.get("/dashboard")
@login_required
def dashboard():
    """What is due, what is late, what waits for me: the landing page of every role but units'."""
    user = current_user()
    today = today_in_vietnam()
    with intake().sessions() as db:
        if is_submitter(user):
            return render_template("reporting/dashboard.html", mine=_unit_view(db, user, today))
        if is_admin(user):
            return render_template("reporting/dashboard.html", completeness=_completeness(db, today))
        if not reads_reports(user):
            raise NotPermitted()
        return render_template("reporting/dashboard.html", area=_area_view(db, user, today))


def _unit_view(db, user, today) -> dict:
    from intake_service.submissions import services as intake_services

    returned = [s for s in intake_services.my_submissions(db, user) if s.status == "returned"]
    return {"dues": periods.dues(db, user, today), "returned": returned}


def _area_view(db, user, today) -> dict:
    period = queries.period_of(db, None)
    if period is None:
        return {"report": None}
    tree = queries.tree(db)
    if user.scope not in tree.units:  # an area the directory does not know: nothing to total
        return {"report": None}
    report = _report(db, user.scope, period, tree)
    return {"report": report, "waiting": queries.waiting_for(db, user, tree.communes(user.scope))}


def _completeness(db, today) -> list[tuple]:
    tallies.refresh(intake().engine)
    found = []
    for period in periods.open_periods(db)[:3]:  # what is still being collected
        dues = queries.timeliness(db, period, None, today)
        summary = services.due_summary(dues)
        found.append((period, summary, len(dues)))
    return found


def landing():
    """Units land on their submissions; every other role on its dashboard."""
    user = current_user()
    if user is None or is_submitter(user):
        return redirect(url_for("submissions.index"))
    return redirect(url_for("reporting.dashboard"))
