"""Inspection pages: the task lists, plans, and the inspector's phone-friendly check of a model."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.exceptions import RequestEntityTooLarge

from review_service.inspections import checks, domain, queries, services, teams
from review_service.inspections.allocation import Refused as NotEligible
from review_service.inspections.config import InspectionConfig
from review_service.web import review
from shared import clock, uploads
from shared.catalog import FIELDS, INDICATORS, INSPECTION_OUTCOMES, REGISTRATION_DETAILS
from shared.errors import InvalidInput
from shared.identity import is_admin, is_inspector
from shared.web.auth import current_user, login_required

bp = Blueprint("inspections", __name__)
ACCEPT = ",".join(sorted({f".{ext}" for ext in uploads.ACCEPTED.values()} | {"image/*"}))

MESSAGES = {
    ("label", "length"): _l("Give the plan a name of 3 to 200 characters."),
    ("starts_on", "required"): _l("Give the first and last day of the plan."),
    ("ends_on", "range"): _l("The last day must come after the first, at most two years later."),
    ("seed", "range"): _l("The seed is a whole number from 0 up."),
    ("period_id", "range"): _l("The reporting period number is a whole number."),
    ("item_id", "not_approved"): _l("Choose an approved model of the plan's district."),
    ("item_id", "duplicate"): _l("This model is already on the plan."),
    ("outcome", "required"): _l("Choose the conclusion: verified, partly verified or not verified."),
    ("outcome", "contradicts"): _l("A model cannot be verified while a criterion was not met. "
                                   "Choose partly verified or not verified."),
    ("findings", "required"): _l("Write down what the team found on site."),
    ("findings", "length"): _l("The findings are too long: at most 8,000 characters."),
    ("checklist", "unanswered"): _l("Answer every point of the checklist."),
}
REFUSALS = {
    "not_covering": _l("This team does not cover the model's commune. Add the commune to the "
                       "team first, or choose another team."),
    "no_members": _l("This team has no members yet."),
    "all_conflicted": _l("Every member of this team lives in the model's commune or belongs to "
                         "its unit (conflict of interest). Choose another team."),
}
STATUSES = {"unassigned": _l("No eligible team"), "assigned": _l("Assigned"),
            "concluded": _l("Concluded")}
ANSWERS = {"met": _l("Met"), "partly": _l("Partly met"), "not_met": _l("Not met")}
SOURCES = {"nominated": _l("Nominated for an award"), "sampled": _l("Random sample"),
           "added": _l("Added by hand")}
ACTIONS = {"planned": _l("Put on the plan"), "assigned": _l("Assigned to a team"),
           "unassigned": _l("No eligible team"), "reassigned": _l("Given to another team"),
           "nominated": _l("Nominated for an award"), "evidence": _l("Evidence kept"),
           "concluded": _l("Concluded"), "escalated": _l("Overdue: brought to the district")}
UPLOAD_REFUSALS = {
    "empty": _l("The file is empty."),
    "type": _l("Only photos (JPEG, PNG, WebP), PDF and Word, Excel, PowerPoint or "
               "OpenDocument files can be kept. This file is none of these, whatever its name."),
    "damaged": _l("The file is damaged or not what its type says; it cannot be opened."),
    "macros": _l("Documents with macros or controls cannot be kept. Save it as a plain "
                 "document and send it again."),
}


def config() -> InspectionConfig:
    return current_app.extensions["inspections"]


def described(errors: dict) -> dict[str, list[str]]:
    """Each field's error codes as messages in the reader's language."""
    return {name: [str(MESSAGES.get((name, code), code)) for code in codes]
            for name, codes in errors.items()}


def refusal(reason: str) -> str:
    if reason == "too_many":
        return _("An inspection keeps at most %(count)s files.", count=checks.MAX_FILES)
    if reason == "too_large":
        return _("The file is larger than %(size)s MB. Send a smaller photo or split the "
                 "document.", size=review().settings.evidence_max_bytes // (1024 * 1024))
    return str(UPLOAD_REFUSALS[reason])


def labels() -> dict:
    return {"statuses": STATUSES, "outcomes": INSPECTION_OUTCOMES, "answers": ANSWERS, "sources": SOURCES,
            "fields": FIELDS, "actions": ACTIONS, "now": clock.now(), "is_overdue": domain.is_overdue}


# Lists --------------------------------------------------------------------------------------

@bp.get("/inspections")
@login_required
def index():
    """List the inspections the caller works on: an inspector's own, or the district's."""
    user = current_user()
    if not is_inspector(user):
        domain.check_planner(user)
    status = request.args.get("status", "")
    overdue = request.args.get("overdue") in ("1", "on")
    with review().sessions() as db:
        teams.seen(db, user)
        found = queries.tasks(db, user, status, overdue)
        return render_template(
            "inspections/index.html", tasks=found, escalated=queries.escalated(db, user),
            status=status, overdue=overdue, is_planner=domain.is_planner(user),
            **labels())


@bp.post("/inspections/assign-waiting")
@login_required
def assign_waiting():
    """Try the rules again for the district's tasks no team could take."""
    user = current_user()
    domain.check_planner(user)
    with review().uow() as uow:
        given = services.assign_waiting(uow.session, user, user.scope, config())
        uow.commit()
    flash(ngettext("%(num)d waiting inspection was assigned.",
                   "%(num)d waiting inspections were assigned.", given))
    return redirect(url_for("inspections.index"), 303)


# One task -----------------------------------------------------------------------------------

def _figures(report: dict | None) -> dict:
    given = {f["code"]: Decimal(f["value"]) for f in (report or {}).get("indicators", [])}
    return {code: given[code] for code in INDICATORS if code in given}


def _task_page(task_id: int, errors: dict | None = None, values: dict | None = None,
               reassign_error: str | None = None, status: int = 200):
    user = current_user()
    with review().sessions() as db:
        task = queries.get_task(db, user, task_id)
        results = queries.latest_results(db, task)
        may_work = (is_inspector(user) and user.id in task.inspector_ids
                    and task.status in domain.OPEN_STATUSES)
        kept = values if values is not None else (task.draft or {})
        return render_template(
            "inspections/task.html", task=task, item=task.item, results=results,
            figures=_figures(results.report if results else None), indicators=INDICATORS,
            details_labels=REGISTRATION_DETAILS, criteria=config().criteria, values=kept,
            errors=errors or {}, may_work=may_work, accept=ACCEPT,
            max_mb=review().settings.evidence_max_bytes // (1024 * 1024),
            is_admin=is_admin(user), reassign_error=reassign_error,
            teams=teams.teams(db, user) if is_admin(user) else [],
            **labels()), status


@bp.get("/inspections/tasks/<int:task_id>")
@login_required
def task(task_id: int):
    """Show a task: the model as registered, its latest results, the checklist and evidence."""
    return _task_page(task_id)


@bp.post("/inspections/tasks/<int:task_id>/autosave")
@login_required
def autosave(task_id: int):
    """Keep what the inspector has typed so far on the server, and say when it was kept."""
    with review().uow() as uow:
        saved_at = checks.autosave(uow, current_user(), task_id, request.form.to_dict(),
                                   config().criteria)
    return render_template("inspections/_autosaved.html", saved_at=saved_at)


@bp.url_value_preprocessor
def allow_evidence_uploads(endpoint: str | None, _values) -> None:
    """Let a few files of the largest size past the app's 1 MB cap, before CSRF reads the form."""
    if endpoint == "inspections.upload":
        request.max_content_length = review().settings.evidence_max_bytes * 3 + 64 * 1024


@bp.post("/inspections/tasks/<int:task_id>/evidence")
@login_required
def upload(task_id: int):
    """Keep the chosen photos and documents as evidence; each is judged by its content."""
    with review().sessions() as db:  # whose task it is comes before what was sent
        found = queries.get_task(db, current_user(), task_id)
        domain.check_inspector(current_user(), found.inspector_ids)
    max_bytes = review().settings.evidence_max_bytes
    chosen = [f for f in request.files.getlist("files") if f.filename]
    if not chosen:
        flash(_("Choose a photo or a document first."), "error")
    for upload in chosen:
        try:
            kept = keep(task_id, upload.filename, upload.read(max_bytes + 1))
        except uploads.Refused as refused:
            flash(f"{upload.filename}: {refusal(refused.reason)}", "error")
            continue
        flash(_("%(name)s kept.", name=kept.filename))
    return redirect(url_for("inspections.task", task_id=task_id, _anchor="evidence"), 303)


def keep(task_id: int, filename: str, content: bytes):
    """Keep one file as evidence of the caller's task (or raise ``uploads.Refused``)."""
    settings = review().settings
    with review().uow() as uow:
        return checks.add_evidence(checks.AddEvidence(current_user(), task_id, filename, content),
                                   uow, checks.store_for(settings.evidence_dir),
                                   settings.evidence_max_bytes)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    """Files beyond what one upload may carry: say so on the task's page, with the limit."""
    task_id = (request.view_args or {}).get("task_id")
    if request.endpoint != "inspections.upload" or task_id is None:
        return error
    flash(refusal("too_large"), "error")
    return redirect(url_for("inspections.task", task_id=task_id, _anchor="evidence"), 303)


@bp.get("/inspections/evidence/<int:evidence_id>")
@login_required
def evidence_file(evidence_id: int):
    """Send an evidence file back as the type its content showed: photos inline."""
    with review().sessions() as db:
        kept = checks.visible_evidence(db, current_user(), evidence_id)
        name, content_type, filename, inline = (kept.stored_as, kept.content_type, kept.filename,
                                                kept.is_image)
    try:
        path = checks.store_for(review().settings.evidence_dir).path(name)
        response = send_file(path, mimetype=content_type, as_attachment=not inline,
                             download_name=filename, max_age=3600, conditional=True)
    except FileNotFoundError:
        current_app.logger.error("inspection evidence %s is missing from the store", name)
        abort(404)
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.post("/inspections/tasks/<int:task_id>/conclusion")
@login_required
def conclude(task_id: int):
    """Record the checklist, the findings and the conclusion: verified, partly or not verified."""
    values = request.form.to_dict()
    criteria = config().criteria
    cmd = checks.Conclude(current_user(), task_id, values.get("outcome", ""),
                          values.get("findings", "")[:20_000],
                          {code: values.get(f"check_{code}", "") for code in criteria})
    try:
        with review().uow() as uow:
            checks.conclude(cmd, uow, criteria)
    except InvalidInput as invalid:
        return _task_page(task_id, described(invalid.errors), values, status=422)
    flash(_("The inspection is concluded and its outcome sent on."))
    return redirect(url_for("inspections.task", task_id=task_id, saved=1), 303)


@bp.post("/inspections/tasks/<int:task_id>/reassign")
@login_required
def reassign(task_id: int):
    """Give the task to another team (administrators), under the same rules."""
    team_id = request.form.get("team_id", "")
    if not team_id.isdigit():
        abort(400)
    try:
        with review().uow() as uow:
            done = services.reassign(services.Reassign(current_user(), task_id, int(team_id)),
                                     uow, config())
            team_name = done.team.name
    except NotEligible as refused:
        return _task_page(task_id, reassign_error=str(REFUSALS[refused.reason]), status=409)
    flash(_("The inspection is now with %(team)s.", team=team_name))
    return redirect(url_for("inspections.task", task_id=task_id), 303)
