"""The bulk import through the JSON API: upload a filled template, then follow the import."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields
from werkzeug.exceptions import RequestEntityTooLarge

from intake_service.bulk import reader, services, views
from intake_service.web import intake
from shared.web.api import api_blueprint
from shared.web.auth import current_user
from shared.web.openapi import Operation

bp = api_blueprint("bulk_api", __name__)
bp.record_once(views.wire)
bp.url_value_preprocessor(views.allow_workbook_uploads)


@bp.errorhandler(reader.BadWorkbook)
def bad_workbook(error: reader.BadWorkbook):
    return {"error": str(error.message)}, 422


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    return {"error": str(reader.TOO_LARGE)}, 413


class RowErrorSchema(Schema):
    row = fields.Integer(allow_none=True, metadata={"description": "The spreadsheet's row; "
                                                                   "none for the whole file"})
    field = fields.String(allow_none=True, metadata={"description": "The column's key"})
    column = fields.String(metadata={"description": "The column's label"})
    message = fields.String()


class ImportSchema(Schema):
    """An import of registrations: where it is, and what it found."""

    id = fields.Integer()
    url = fields.String()
    filename = fields.String()
    status = fields.String(metadata={"enum": ["queued", "running", "done", "rejected", "failed"]})
    submit = fields.Boolean(attribute="and_submit")
    total = fields.Integer()
    processed = fields.Integer()
    created = fields.Integer()
    errors = fields.List(fields.Nested(RowErrorSchema))
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


def _dump(job) -> dict:
    return ImportSchema().dump({
        **{name: getattr(job, name) for name in ("id", "filename", "status", "and_submit", "total",
                                                  "processed", "created", "created_at", "started_at",
                                                  "finished_at")},
        "url": url_for("bulk_api.show_import", import_id=job.id, _external=True),
        "errors": views.row_errors(job),
    })


@bp.post("/imports")
def create_import():
    """Upload a filled registration template (multipart field `file`; `submit=true` submits each)."""
    services.check_submitter(current_user())
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return {"error": _("Choose a file to upload.")}, 422
    and_submit = request.form.get("submit", "").lower() in ("1", "true", "on")
    body = _dump(views.accept(upload, and_submit))
    return body, 202, {"Location": body["url"]}


@bp.get("/imports/<int:import_id>")
def show_import(import_id: int):
    """An import's status, progress and, when rejected, every bad row."""
    with intake().sessions() as db:
        return _dump(services.get_own(db, current_user(), import_id))


# What the OpenAPI document says about each view beyond its URL and docstring.
OPERATIONS = {
    create_import: Operation(response=ImportSchema, status=202, errors=(403, 422)),
    show_import: Operation(response=ImportSchema, errors=(404,)),
}
