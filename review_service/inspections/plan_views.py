"""Inspection plans: the district's plans, a new plan with its sample, models added by hand."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from review_service.inspections import domain, queries, services
from review_service.inspections.views import config, described, labels
from review_service.web import review
from shared.days import today_in_vietnam
from shared.errors import InvalidInput
from shared.web.auth import current_user, login_required
from shared.web.formatting import vn_number

bp = Blueprint("inspection_plans", __name__)


def _plans_page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    user = current_user()
    today = today_in_vietnam()
    starts_on, ends_on, _half = services.current_half(today)
    defaults = {"label": services.default_label(today), "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat()}
    share = vn_number(round(float(config().sample_share * 100), 1))
    with review().sessions() as db:
        return render_template("inspections/plans.html", plans=queries.plans(db, user),
                               errors=errors or {}, values=values or defaults,
                               share=share), status


@bp.get("/inspections/plans")
@login_required
def index():
    """List the district's inspection plans; set up a new one."""
    return _plans_page()


@bp.post("/inspections/plans")
@login_required
def create():
    """Set up a plan for a stretch of time and draw its random sample."""
    values = request.form.to_dict()
    domain.check_planner(current_user())
    try:
        starts_on = date.fromisoformat(values.get("starts_on", ""))
        ends_on = date.fromisoformat(values.get("ends_on", ""))
    except ValueError:
        return _plans_page(described({"starts_on": ["required"]}), values, 422)
    seed_text, period_text = values.get("seed", "").strip(), values.get("period_id", "").strip()
    wrong = {name: ["range"] for name, text, limit in (("seed", seed_text, 2**63),
                                                       ("period_id", period_text, 2**31))
             if text and not (text.isdigit() and int(text) < limit)}
    if wrong:
        return _plans_page(described(wrong), values, 422)
    cmd = services.CreatePlan(current_user(), values.get("label", ""), starts_on, ends_on,
                              period_id=int(period_text) if period_text else None,
                              seed=int(seed_text) if seed_text else None)
    try:
        with review().uow() as uow:
            plan_id = services.create_plan(cmd, uow, config()).id
    except InvalidInput as invalid:
        return _plans_page(described(invalid.errors), values, 422)
    flash(_("Plan created and its sample drawn."))
    return redirect(url_for("inspection_plans.show", plan_id=plan_id), 303)


def _plan_page(plan_id: int, errors: dict | None = None, status: int = 200):
    user = current_user()
    with review().sessions() as db:
        found = queries.get_plan(db, user, plan_id)
        return render_template("inspections/plan.html", plan=found, tasks=found.tasks,
                               candidates=queries.candidates(db, found), errors=errors or {},
                               **labels()), status


@bp.get("/inspections/plans/<int:plan_id>")
@login_required
def show(plan_id: int):
    """Show a plan: its tasks, who inspects each, and the models that may be added."""
    return _plan_page(plan_id)


@bp.post("/inspections/plans/<int:plan_id>/models")
@login_required
def add_model(plan_id: int):
    """Add an approved model to the plan by hand; it is assigned by the rules."""
    item_id = request.form.get("item_id", "")
    if not item_id.isdigit():
        return _plan_page(plan_id, described({"item_id": ["not_approved"]}), 422)
    try:
        with review().uow() as uow:
            services.add_model(services.AddModel(current_user(), plan_id, int(item_id)), uow,
                               config())
    except InvalidInput as invalid:
        return _plan_page(plan_id, described(invalid.errors), 422)
    flash(_("Model added to the plan."))
    return redirect(url_for("inspection_plans.show", plan_id=plan_id), 303)


@bp.post("/inspections/plans/<int:plan_id>/sample")
@login_required
def draw_sample(plan_id: int):
    """Draw the sample of a plan made for a nomination, with its recorded seed."""
    user = current_user()
    with review().uow() as uow:
        found = queries.get_plan(uow.session, user, plan_id)
        services.draw_sample(uow.session, found, user, config())
        uow.commit()
    flash(_("The random sample is drawn."))
    return redirect(url_for("inspection_plans.show", plan_id=plan_id), 303)
