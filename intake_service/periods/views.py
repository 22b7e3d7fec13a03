"""Pages of the periods feature: periods (admin), what is due."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from intake_service.periods import services, texts
from intake_service.periods.config import PeriodSettings
from intake_service.periods.domain import DUE_ITEMS, MAX_YEAR, MIN_YEAR, today_in_vietnam
from intake_service.periods.schemas import load_period
from intake_service.web import intake
from shared.catalog import period_label
from shared.errors import InvalidInput, NotPermitted
from shared.identity import is_admin, is_submitter
from shared.web.auth import current_user, login_required

bp = Blueprint("periods", __name__)

# Status colours borrowed from the submission badges of the shared stylesheet.
STATUS_CLASSES = {"on_time": "approved", "late": "returned", "missing": "rejected", "pending": ""}


@bp.record_once
def _read_settings(state) -> None:
    state.app.extensions.setdefault("periods", state.app.extensions["intake"].config.periods)


def period_settings() -> PeriodSettings:
    return current_app.extensions["periods"]


@bp.app_context_processor
def _helpers() -> dict:
    return {"item_labels": texts.ITEM_LABELS,
            "due_labels": texts.STATUS_LABELS, "due_classes": STATUS_CLASSES}


def _admin() -> None:
    if not is_admin(current_user()):
        raise NotPermitted()


def _periods_page(values: dict, errors: dict | None = None, status: int = 200):
    kinds = period_settings().kinds
    with intake().sessions() as db:
        periods = services.all_periods(db)
    return render_template(
        "periods/admin.html", periods=periods, values=values, errors=errors or {},
        kinds={kind: texts.kind_name(kind) for kind in kinds}, items=DUE_ITEMS,
        min_year=MIN_YEAR, max_year=MAX_YEAR), status


@bp.get("/periods")
@login_required
def index():
    """List the reporting periods and offer to open one."""
    _admin()
    today = today_in_vietnam()
    return _periods_page({"year": today.year, "due_items": list(DUE_ITEMS)})


@bp.post("/periods")
@login_required
def open_period():
    """Open a reporting period with its deadline."""
    _admin()
    values = request.form.to_dict() | {"due_items": request.form.getlist("due_items")}
    try:
        data = load_period(values, period_settings().kinds)
    except InvalidInput as invalid:
        return _periods_page(values, invalid.errors, 422)
    cmd = services.OpenPeriod(current_user(), data["kind"], data["year"], tuple(data["due_items"]),
                              data["opens_on"], data["deadline"])
    try:
        with intake().uow() as uow:
            period = services.open_period(cmd, uow)
    except services.PeriodExists:
        errors = {"kind": [_("A period of this kind already exists for this year.")]}
        return _periods_page(values, errors, 422)
    flash(_("Period opened: %(period)s.", period=period_label(period.kind, period.year)))
    return redirect(url_for("periods.index"))


@bp.post("/periods/<int:period_id>/close")
@login_required
def close_period(period_id: int):
    """Close a period: no more dues or reminders for it."""
    with intake().uow() as uow:
        period = services.close_period(services.ClosePeriod(current_user(), period_id), uow)
    flash(_("Period closed: %(period)s.", period=period_label(period.kind, period.year)))
    return redirect(url_for("periods.index"))


@bp.get("/due")
@login_required
def due():
    """Show what is due in the open periods: one's own, or per unit of the reviewer's area."""
    today = today_in_vietnam()
    with intake().sessions() as db:
        periods = services.dues(db, current_user(), today)
        return render_template("periods/due.html", periods=periods, today=today,
                               per_unit=not is_submitter(current_user()))
