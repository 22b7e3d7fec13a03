"""The submitter's import pages: the template, the upload, and each import's progress and outcome."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from redis.exceptions import RedisError
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from intake_service.bulk import jobs, reader, services, template
from intake_service.bulk.config import ImportSettings
from intake_service.bulk.rows import column_label
from intake_service.bulk.tables import Import
from intake_service.web import intake
from shared.identity import is_submitter
from shared.web.auth import current_user, login_required
from shared.web.errors import HTTP_MESSAGES, error_response

log = logging.getLogger(__name__)
bp = Blueprint("bulk", __name__, url_prefix="/submissions/import")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Well above the workbook's limit: a file a little too large is read and refused with a message;
# a request cut off unread leaves many browsers showing a reset connection instead.
UPLOAD_LIMIT = 4 * reader.MAX_BYTES
NOT_STARTED = _l("The import could not be started. Please upload the file again in a few minutes.")
STATUS_LABELS = {
    "queued": _l("Waiting to start"),
    "running": _l("Checking the rows"),
    "done": _l("Imported"),
    "rejected": _l("Nothing imported: some rows need fixing"),
    "failed": _l("Failed"),
}
# Badge colours borrowed from the submission statuses of the shared stylesheet.
STATUS_CLASSES = {"queued": "", "running": "", "done": "approved", "rejected": "returned",
                  "failed": "rejected"}


@dataclass
class Wiring:
    settings: ImportSettings
    enqueue: jobs.Enqueuer


def wire(state) -> None:
    """Give the app the import settings and a queue that connects on first use."""
    intake = state.app.extensions["intake"]
    state.app.extensions.setdefault("bulk", Wiring(intake.config.imports, jobs.Enqueuer(intake.jobs)))


def wiring() -> Wiring:
    return current_app.extensions["bulk"]


def allow_workbook_uploads(_endpoint, _values) -> None:
    """Let a workbook past the app's 1 MB cap; runs before the CSRF check reads the form."""
    request.max_content_length = UPLOAD_LIMIT


bp.record_once(wire)
bp.url_value_preprocessor(allow_workbook_uploads)


@bp.before_request
@login_required
def submitters_only():
    """Importing is registering: only a unit's submitter may; any other role gets 403."""
    services.check_submitter(current_user())


def accept(upload: FileStorage, and_submit: bool) -> Import:
    """Check and keep an uploaded workbook, and queue its import (used by the page and the API)."""
    cmd = services.StartImport(current_user(), upload.filename or "", upload.read(reader.MAX_BYTES + 1),
                               and_submit, wiring().settings.directory)
    with intake().uow() as uow:
        job = services.start_import(cmd, uow)
    try:
        wiring().enqueue(job.id)
    except RedisError:
        log.exception("could not queue import %s", job.id)
        services.fail(intake().uow(), job.id, NOT_STARTED)
    return job


@bp.get("")
def index():
    """Offer the template, take a filled one, and list the user's recent imports."""
    return _page()


@bp.get("/template.xlsx")
def template_file():
    """Download the XLSX template, with the user's commune filled in."""
    data = template.build(current_user().scope)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, max_age=0,
                     download_name="mau-dang-ky-mo-hinh-dvk.xlsx")


@bp.post("")
def upload():
    """Take a filled template and queue its import; a file that is no template is refused at once."""
    file = request.files.get("file")
    and_submit = request.form.get("and_submit") == "1"
    if file is None or not file.filename:
        return _page(_("Choose a file to upload."), 422, and_submit)
    try:
        job = accept(file, and_submit)
    except reader.BadWorkbook as bad:
        return _page(bad.message, 422, and_submit)
    return redirect(url_for("bulk.show", import_id=job.id), 303)


@bp.get("/<int:import_id>")
def show(import_id: int):
    """Show an import's progress (htmx polls it every second) and then its outcome."""
    with intake().sessions() as db:
        job = services.get_own(db, current_user(), import_id)
    context = {"job": job, "errors": row_errors(job), "labels": STATUS_LABELS,
               "classes": STATUS_CLASSES}
    if request.htmx and request.htmx.target == "import-progress":
        return render_template("bulk/_progress.html", **context)
    return render_template("bulk/show.html", **context)


def row_errors(job: Import) -> list[dict]:
    """Each problem in the reader's language: its row, its column's label and the message."""
    return [{"row": e["row"], "field": e["field"], "column": str(column_label(e["field"])),
             "message": _translated(e["message"])} for e in job.errors]


def _translated(msgid: str) -> str:
    # A message the job stored as its English msgid; extracted where it was written.
    return _(msgid)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """Say on the page itself that the file is too large."""
    user = current_user()
    if user is None or not is_submitter(user):  # raising here would turn into a 500
        return error_response(413, HTTP_MESSAGES[413])
    return _page(reader.TOO_LARGE, 413)


def _page(message=None, status: int = 200, and_submit: bool = False):
    with intake().sessions() as db:
        imports = services.recent_imports(db, current_user())
    return render_template("bulk/index.html", imports=imports, message=message, and_submit=and_submit,
                           labels=STATUS_LABELS, classes=STATUS_CLASSES,
                           max_rows=reader.MAX_ROWS), status
