"""A unit's result reports: the figures and narrative, the evidence files, and serving them back."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from intake_service.results import evidence, services
from intake_service.results.evidence import Refused, Store
from intake_service.results.tables import Evidence
from intake_service.submissions import services as submissions
from intake_service.submissions.domain import ReportExists, Status, check_editable
from intake_service.submissions.schemas import load_report
from intake_service.web import intake
from shared.catalog import INDICATORS
from shared.errors import InvalidInput
from shared.web.auth import current_user, login_required

bp = Blueprint("results", __name__)
ACCEPT = ",".join(sorted({f".{ext}" for ext in evidence.ACCEPTED.values()} | {"image/*"}))


@bp.url_value_preprocessor
def allow_evidence_uploads(endpoint: str | None, _values) -> None:
    """Let a few files of the largest size past the app's 1 MB cap, before CSRF reads the form."""
    if endpoint == "results.upload":
        request.max_content_length = intake().settings.evidence_max_bytes * 3 + 64 * 1024


def refusal(reason: str, max_bytes: int) -> str:
    """Why a file was not kept, in the reader's language."""
    return {
        "empty": _("The file is empty."),
        "too_large": _("The file is larger than %(size)s MB. Send a smaller photo or split the "
                       "document.", size=max_bytes // (1024 * 1024)),
        "type": _("Only photos (JPEG, PNG, WebP), PDF and Word, Excel, PowerPoint or "
                  "OpenDocument files can be kept. This file is none of these, whatever its name."),
        "damaged": _("The file is damaged or not what its type says; it cannot be opened."),
        "macros": _("Documents with macros or controls cannot be kept. Save it as a plain "
                    "document and send it again."),
        "too_many": _("A report keeps at most %(count)s files.", count=services.MAX_FILES),
    }[reason]


def _store() -> Store:
    return Store(intake().settings.evidence_dir)


def _form(model, values: dict, errors: dict | None = None, report=None, status: int = 200):
    with intake().sessions() as db:
        periods = services.report_periods(db)
    return render_template("results/form.html", model=model, report=report, values=values,
                           errors=errors or {}, periods=periods, indicators=INDICATORS,
                           form_key=f"report-{report.id if report else 'new-' + str(model.id)}"), status


@bp.get("/models/<int:model_id>/reports/new")
@login_required
def new(model_id: int):
    """Show an empty result report for an approved model."""
    with intake().sessions() as db:
        model = services.start(db, current_user(), model_id)
        return _form(model, {})


@bp.post("/models/<int:model_id>/reports")
@login_required
def create(model_id: int):
    """Save a new result report as a draft (evidence is added next), or send it."""
    return _save(model_id=model_id)


@bp.get("/reports/<int:report_id>/edit")
@login_required
def edit(report_id: int):
    """Show a draft or returned report for changes."""
    with intake().sessions() as db:
        report = submissions.own_submission(db, current_user(), report_id, "result_report")
        check_editable(Status(report.status))
        values = {"period_id": report.period_id, "narrative": report.narrative,
                  **services.figures(db, report.id)}
        return _form(report.model, values, report=report)


@bp.post("/reports/<int:report_id>")
@login_required
def update(report_id: int):
    """Save changes to a draft or returned report, or send it for review."""
    return _save(report_id=report_id)


def _save(model_id: int | None = None, report_id: int | None = None):
    values = request.form.to_dict()
    submitting = values.get("action") == "submit"
    try:
        cmd = services.SaveReport(current_user(), load_report(values), model_id=model_id,
                                  report_id=report_id, and_submit=submitting)
        with intake().uow() as uow:
            report = services.save_report(cmd, uow)
    except InvalidInput as invalid:
        return _again(values, invalid.errors, model_id, report_id)
    except ReportExists:
        return _again(values, {"period_id": [_(
            "This model already has a result report for that period; open it from the model's "
            "page.")]}, model_id, report_id)
    flash(_("Result report submitted for review.") if submitting else _(
        "Draft saved. Add photos or documents as evidence, then submit it."))
    return redirect(url_for("submissions.show", submission_id=report.id, saved=1))


def _again(values: dict, errors: dict, model_id: int | None, report_id: int | None):
    with intake().sessions() as db:
        if report_id is not None:
            report = submissions.own_submission(db, current_user(), report_id, "result_report")
            return _form(report.model, values, {k: [str(m) for m in v] for k, v in errors.items()},
                         report, status=422)
        model = submissions.own_submission(db, current_user(), model_id, "registration")
        return _form(model, values, {k: [str(m) for m in v] for k, v in errors.items()}, status=422)


@bp.post("/reports/<int:report_id>/evidence")
@login_required
def upload(report_id: int):
    """Keep the chosen files as evidence; each is judged by its content, one by one."""
    with intake().sessions() as db:  # whose report it is comes before what was sent
        check_editable(Status(submissions.own_submission(
            db, current_user(), report_id, "result_report").status))
    max_bytes = intake().settings.evidence_max_bytes
    chosen = [f for f in request.files.getlist("files") if f.filename]
    if not chosen:
        flash(_("Choose a photo or a document first."), "error")
    for upload in chosen:
        try:
            kept = keep(report_id, upload.filename, upload.read(max_bytes + 1))
        except Refused as refused:
            flash(f"{upload.filename}: {refusal(refused.reason, max_bytes)}", "error")
            continue
        flash(_("%(name)s kept.", name=kept.filename))
    return redirect(url_for("submissions.show", submission_id=report_id), 303)


def keep(report_id: int, filename: str, content: bytes) -> Evidence:
    """Keep one file as evidence of the user's report (or raise ``Refused``); the worker then
    makes a photo's thumbnail. The page and the API both upload through here."""
    settings = intake().settings
    with intake().uow() as uow:
        kept = services.add_evidence(
            services.AddEvidence(current_user(), report_id, filename, content),
            uow, _store(), settings.evidence_max_bytes)
    if kept.is_image:
        intake().jobs.offer("intake_service.results.jobs.make_thumbnail", kept.id)
    return kept


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """Files beyond what one upload may carry: say so on the report's page, with the limit."""
    report_id = (request.view_args or {}).get("report_id")
    if request.endpoint != "results.upload" or report_id is None:
        return _error
    flash(refusal("too_large", intake().settings.evidence_max_bytes), "error")
    return redirect(url_for("submissions.show", submission_id=report_id), 303)


@bp.post("/evidence/<int:evidence_id>/remove")
@login_required
def remove(evidence_id: int):
    """Take a file off a draft or returned report."""
    with intake().uow() as uow:
        item = services.remove_evidence(services.RemoveEvidence(current_user(), evidence_id), uow)
    flash(_("%(name)s removed.", name=item.filename))
    return redirect(url_for("submissions.show", submission_id=item.submission_id), 303)


@bp.get("/evidence/<int:evidence_id>")
@login_required
def show_file(evidence_id: int):
    """Send a file back as the type its content showed: images inline, documents as downloads."""
    return download(evidence_id)


def download(evidence_id: int):
    with intake().sessions() as db:
        item = services.visible_evidence(db, current_user(), evidence_id)
    return _send(item.stored_as, item.content_type, item.filename, inline=item.is_image)


@bp.get("/evidence/<int:evidence_id>/thumbnail")
@login_required
def thumbnail(evidence_id: int):
    """A photo's small preview, once the worker has made it."""
    with intake().sessions() as db:
        item = services.visible_evidence(db, current_user(), evidence_id)
    if item.thumbnail is None:
        abort(404)
    return _send(item.thumbnail, "image/jpeg", f"{item.filename}.jpg", inline=True)


def _send(name: str, content_type: str, filename: str, inline: bool):
    try:
        path = _store().path(name)
        response = send_file(path, mimetype=content_type, as_attachment=not inline,
                             download_name=filename, max_age=3600, conditional=True)
    except FileNotFoundError:
        current_app.logger.error("evidence file %s is missing from the store", name)
        abort(404)
    # Whatever a file holds, the browser runs none of it.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
