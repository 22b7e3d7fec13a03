"""The unit's pages: register a model, save it as a draft, submit it, follow it through review."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from intake_service.amendments import services as amendments
from intake_service.directory import places
from intake_service.periods.tables import Period
from intake_service.recognition import services as recognition
from intake_service.results import services as reports
from intake_service.results.views import ACCEPT
from intake_service.submissions import drafts, services
from intake_service.submissions.domain import DETAILS, Status, check_editable
from intake_service.submissions.schemas import RegistrationSchema, load_registration
from intake_service.submissions.tables import Submission
from intake_service.web import intake
from shared.catalog import (
    AMENDABLE,
    FIELDS,
    INDICATORS,
    KINDS,
    NOMINATION_STATUSES,
    REGISTRATION_DETAILS,
    STAGES,
    STATUSES,
    SUBJECT_TYPES,
)
from shared.errors import InvalidInput, NotPermitted
from shared.identity import is_submitter
from shared.web.auth import current_user, login_required

bp = Blueprint("submissions", __name__, url_prefix="/submissions")
FORM_KEY = re.compile(r"registration-(new|[0-9]{1,12})")
KIND_EDITORS = {"amendment": ("amendments.edit", "amendment_id"),
                "result_report": ("results.edit", "report_id")}


def _choices() -> dict:
    return {"fields": FIELDS, "subject_types": SUBJECT_TYPES, "communes": _communes_for_user(),
            "labels": REGISTRATION_DETAILS}


def _communes_for_user() -> dict:
    """A unit registers in its own commune only; the directory gives its name."""
    user = current_user()
    with intake().sessions() as db:
        if user and is_submitter(user):
            return places.names(db, {user.scope})
        return places.communes(db)


def _form_key(submission_id: int | None) -> str:
    return f"registration-{submission_id or 'new'}"


def _form(values: dict, errors: dict | None = None, submission=None, status: int = 200):
    return render_template("submissions/form.html", values=values, errors=errors or {},
                           submission=submission,
                           form_key=_form_key(submission.id if submission else None),
                           **_choices()), status


def describe(entry) -> str:
    """One line of a submission's timeline, in the reader's language."""
    stage = STAGES.get(entry.stage or "", entry.stage or "")
    if entry.to_status == recognition.EXEMPLAR:
        return _("Chosen by the steering committee as an exemplar")
    if entry.stage == recognition.INSPECTION:
        outcome = recognition.INSPECTION_OUTCOMES.get(entry.to_status, entry.to_status)
        return _("Inspected on site: %(outcome)s", outcome=outcome)
    if entry.to_status == services.AMENDED:
        return _("Amended: an approved amendment changed the name, field or targets")
    if entry.to_status == "in_review" and entry.from_status == "in_review":
        return _("Approved at %(stage)s, moved on", stage=stage)
    if entry.to_status == "in_review":
        return _("In review at %(stage)s", stage=stage)
    if entry.to_status in ("approved", "returned", "rejected") and stage:
        return _("%(status)s at %(stage)s", status=STATUSES[entry.to_status], stage=stage)
    return str(STATUSES.get(entry.to_status, entry.to_status))


@bp.get("")
@login_required
def index():
    """List the user's submissions and where each one is."""
    with intake().sessions() as db:
        rows = services.my_submissions(db, current_user())
        return render_template("submissions/index.html", submissions=rows,
                               statuses=STATUSES, stages=STAGES)


@bp.get("/new")
@login_required
def new():
    """Show an empty registration form."""
    user = current_user()
    if not is_submitter(user):
        raise NotPermitted()
    with intake().sessions() as db:
        kept = drafts.load(db, user, _form_key(None))
    return _form({"commune_code": user.scope} | kept)


@bp.post("")
@login_required
def create():
    """Save a new registration as a draft, and submit it if asked."""
    return _save(None)


@bp.get("/<int:submission_id>/edit")
@login_required
def edit(submission_id: int):
    """Show the form for a draft or a returned submission."""
    with intake().sessions() as db:
        submission = services.get_visible(db, current_user(), submission_id)
        if submission.kind in KIND_EDITORS:
            endpoint, argument = KIND_EDITORS[submission.kind]
            return redirect(url_for(endpoint, **{argument: submission_id}))
        check_editable(Status(submission.status))
        values = {k: getattr(submission, k) for k in RegistrationSchema().fields}
        kept = drafts.load(db, current_user(), _form_key(submission_id))
        return _form(values | kept, submission=submission)


@bp.post("/<int:submission_id>")
@login_required
def update(submission_id: int):
    """Save changes to a draft or returned submission, and submit it if asked."""
    return _save(submission_id)


def _save(submission_id: int | None):
    values = request.form.to_dict()
    try:
        data = load_registration(values)
    except InvalidInput as invalid:
        return _refused(values, invalid.errors, submission_id)
    submitting = request.form.get("action") == "submit"
    cmd = services.SaveDraft(current_user(), data, submission_id, and_submit=submitting)
    try:
        with intake().uow() as uow:
            submission = services.save_draft(cmd, uow)
    except InvalidInput as invalid:  # what only the database can tell: an unknown commune
        return _refused(values, invalid.errors, submission_id)
    with intake().sessions() as db:
        drafts.discard(db, cmd.user, _form_key(submission_id))
    if submitting:
        flash(_("Submitted for review. You can follow it here."))
    else:
        flash(_("Draft saved."))
    return redirect(url_for("submissions.show", submission_id=submission.id, saved=1))


def _refused(values: dict, errors: dict, submission_id: int | None):
    """The same form again, with everything typed and what to fix."""
    if submission_id is None:
        return _form(values, errors, status=422)
    with intake().sessions() as db:  # re-render the same edit form, not a new one
        submission = services.get_visible(db, current_user(), submission_id)
        return _form(values, errors, submission=submission, status=422)


@bp.post("/<int:submission_id>/submit")
@login_required
def submit(submission_id: int):
    """Send a saved draft for review."""
    with intake().uow() as uow:
        services.submit(services.Submit(current_user(), submission_id), uow)
    flash(_("Submitted for review. You can follow it here."))
    return redirect(url_for("submissions.show", submission_id=submission_id))


@bp.post("/<int:submission_id>/withdraw")
@login_required
def withdraw(submission_id: int):
    """Withdraw a submission before its final decision."""
    with intake().uow() as uow:
        services.withdraw(services.Withdraw(current_user(), submission_id), uow)
    flash(_("Withdrawn."))
    return redirect(url_for("submissions.show", submission_id=submission_id))


@bp.get("/<int:submission_id>")
@login_required
def show(submission_id: int):
    """Show a submission, its status and its history (htmx polls the status part)."""
    with intake().sessions() as db:
        submission = services.get_visible(db, current_user(), submission_id)
        context = {
            "submission": submission,
            "history": [_step(entry) for entry in submission.history],
            "statuses": STATUSES, "stages": STAGES, "fields": FIELDS, "kinds": KINDS,
            "subject_types": SUBJECT_TYPES,
            "communes": places.names(db, {submission.commune_code}),
            "details": {name: getattr(submission, name) for name in DETAILS},
            "registration_details": REGISTRATION_DETAILS,
            **_about_kind(db, submission),
        }
        if request.htmx and request.htmx.target == "status":  # the poll, not a boosted page
            return render_template("submissions/_status.html", **context)
        return render_template("submissions/show.html", **context)


def _about_kind(db, submission) -> dict:
    """What the page shows beyond the registration: a model's follow-ups, a diff, a report."""
    if submission.kind == "amendment":
        return {"changes": amendments.changes(db, current_user(), submission.id),
                "amendable": AMENDABLE}
    if submission.kind == "result_report":
        return {"period": db.get(Period, submission.period_id),
                "figures": reports.figures(db, submission.id), "indicators": INDICATORS,
                "files": reports.files(db, submission.id), "accept": ACCEPT,
                "max_mb": intake().settings.evidence_max_bytes // (1024 * 1024)}
    if submission.status == Status.APPROVED:
        return {"amendments": amendments.amendments_of(db, submission.id),
                "reports": reports.reports_of(db, submission.id),
                "periods": {p.id: p for p in reports.report_periods(db)},
                "nominations": recognition.nominations_of(db, submission),
                "outcomes": recognition.INSPECTION_OUTCOMES,
                "nomination_statuses": NOMINATION_STATUSES}
    return {}


def _step(entry) -> dict:
    return {"at": entry.at, "label": describe(entry), "actor": entry.actor_name,
            "comment": entry.comment}


@bp.post("/autosave/<form_key>")
@login_required
def autosave(form_key: str):
    """Keep what the user has typed so far on the server, and say when it was kept."""
    if not FORM_KEY.fullmatch(form_key):
        abort(404)
    with intake().sessions() as db:
        saved_at = drafts.autosave(db, current_user(), form_key, request.form.to_dict(),
                                   frozenset(RegistrationSchema().fields))
    return render_template("submissions/_autosaved.html", saved_at=saved_at)


@bp.post("/check/<field>")
@login_required
def check(field: str):
    """Validate one field as the user types; warn about similar names in the same commune."""
    values = request.form.to_dict()
    errors: dict = {}
    if field in RegistrationSchema().fields:
        wanted = {field: values.get(field, "")}
        if field == "person_name":  # needed only for an individual: the rule reads both fields
            wanted["subject_type"] = values.get("subject_type", "")
        try:
            load_registration(wanted, partial=True)
        except InvalidInput as invalid:
            errors = invalid.errors
    similar = []
    if field == "title" and not errors and values.get("commune_code"):
        similar = _similar_titles(values["commune_code"], values.get("title", ""),
                                  request.args.get("exclude", type=int))
    return render_template("submissions/_feedback.html", field=field,
                           messages=errors.get(field, []), similar=similar)


def _similar_titles(commune_code: str, title: str, exclude_id: int | None) -> list[str]:
    """Names like this one in the commune and period of the registration being written."""
    with intake().sessions() as db:
        editing = db.get(Submission, exclude_id) if exclude_id else None
        if editing is not None and services.can_view(current_user(), editing):
            period_id = (editing.model or editing).period_id
        else:
            period = services.registration_period(db)
            period_id = period.id if period else None
        return [s.title for s in services.similar_titles(db, commune_code, title, period_id,
                                                          exclude_id=exclude_id)]
