"""The JSON API: the same handlers and validation as the pages, authenticated by bearer token."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from marshmallow import Schema, fields

from intake_service.amendments import services as amendments
from intake_service.results import services as reports
from intake_service.results import views as evidence_views
from intake_service.results.evidence import Refused
from intake_service.results.views import refusal
from intake_service.submissions import services
from intake_service.submissions.domain import AmendmentInProgress, NothingChanged, ReportExists
from intake_service.submissions.schemas import (
    AmendmentSchema,
    EvidenceSchema,
    NewAmendmentSchema,
    NewReportSchema,
    RegistrationSchema,
    ReportSchema,
    SubmissionSchema,
    load_amendment,
    load_registration,
    load_report,
)
from intake_service.web import intake
from shared.errors import InvalidInput
from shared.web.api import api_blueprint
from shared.web.auth import current_user
from shared.web.openapi import Operation, listing

bp = api_blueprint("api", __name__)


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput):
    return {"error": _("Some fields are not valid."), "fields": error.errors}, 422


@bp.errorhandler(NothingChanged)
def nothing_changed(_error):
    return {"error": _("Change at least the name, the field or the targets; nothing differs from "
                       "the approved model.")}, 409


@bp.errorhandler(AmendmentInProgress)
def amendment_in_progress(_error):
    return {"error": _("This model already has an amendment in progress. Finish or withdraw it "
                       "first.")}, 409


@bp.errorhandler(ReportExists)
def report_exists(_error):
    return {"error": _("This model already has a result report for that period; open it from "
                       "the model's page.")}, 409


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput({"_schema": [_("Send the registration as a JSON object.")]})
    return body


@bp.post("/submissions")
def create_submission():
    """Create a registration; with ``"submit": true`` it is sent for review at once."""
    body = _json_body()
    cmd = services.SaveDraft(current_user(), load_registration(body),
                             and_submit=body.get("submit") is True,
                             correlation_id=request.headers.get("X-Correlation-Id", ""))
    with intake().uow() as uow:
        submission = services.save_draft(cmd, uow)
        return SubmissionSchema().dump(submission), 201


@bp.put("/submissions/<int:submission_id>")
def update_submission(submission_id: int):
    """Change a draft or returned registration."""
    data = load_registration(_json_body())
    with intake().uow() as uow:
        services.save_draft(services.SaveDraft(current_user(), data, submission_id), uow)
    return _show(submission_id)


@bp.post("/submissions/<int:submission_id>/submit")
def submit_submission(submission_id: int):
    """Send a draft or fixed returned registration for review."""
    with intake().uow() as uow:
        services.submit(services.Submit(current_user(), submission_id), uow)
    return _show(submission_id)


@bp.post("/submissions/<int:submission_id>/withdraw")
def withdraw_submission(submission_id: int):
    """Withdraw before a final decision."""
    with intake().uow() as uow:
        services.withdraw(services.Withdraw(current_user(), submission_id), uow)
    return _show(submission_id)


@bp.get("/submissions")
def list_submissions():
    """The caller's submissions (a reviewer's: those of their area)."""
    with intake().sessions() as db:
        rows = services.my_submissions(db, current_user())
        return {"items": SubmissionSchema(exclude=("history",), many=True).dump(rows)}


@bp.get("/submissions/<int:submission_id>")
def show_submission(submission_id: int):
    """A submission's status and its history."""
    return _show(submission_id)


def _show(submission_id: int) -> dict:
    with intake().sessions() as db:
        return SubmissionSchema().dump(services.get_visible(db, current_user(), submission_id))


@bp.post("/models/<int:model_id>/amendments")
def create_amendment(model_id: int):
    """Ask to change an approved model's name, field or targets, with a reason."""
    body = _json_body()
    cmd = amendments.SaveAmendment(current_user(), load_amendment(body), model_id=model_id,
                                   and_submit=body.get("submit") is True)
    with intake().uow() as uow:
        return SubmissionSchema().dump(amendments.save_amendment(cmd, uow)), 201


@bp.put("/amendments/<int:amendment_id>")
def update_amendment(amendment_id: int):
    """Change a draft or returned amendment."""
    cmd = amendments.SaveAmendment(current_user(), load_amendment(_json_body()),
                                   amendment_id=amendment_id)
    with intake().uow() as uow:
        amendments.save_amendment(cmd, uow)
    return _show(amendment_id)


@bp.post("/models/<int:model_id>/reports")
def create_report(model_id: int):
    """Report an approved model's results for a period: figures (exact) and a narrative."""
    body = _json_body()
    cmd = reports.SaveReport(current_user(), load_report(body), model_id=model_id,
                             and_submit=body.get("submit") is True)
    with intake().uow() as uow:
        return SubmissionSchema().dump(reports.save_report(cmd, uow)), 201


@bp.put("/reports/<int:report_id>")
def update_report(report_id: int):
    """Change a draft or returned result report."""
    cmd = reports.SaveReport(current_user(), load_report(_json_body()), report_id=report_id)
    with intake().uow() as uow:
        reports.save_report(cmd, uow)
    return _show(report_id)


@bp.post("/reports/<int:report_id>/evidence")
def add_evidence(report_id: int):
    """Attach one evidence file (multipart field ``file``), judged by its content."""
    settings = intake().settings
    with intake().sessions() as db:  # whose report it is comes before what was sent
        services.own_submission(db, current_user(), report_id, "result_report")
    request.max_content_length = settings.evidence_max_bytes + 64 * 1024
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput({"file": [_("Send the file in the multipart field \"file\".")]})
    try:
        kept = evidence_views.keep(report_id, upload.filename or "",
                                   upload.read(settings.evidence_max_bytes + 1))
    except Refused as refused:
        raise InvalidInput({"file": [refusal(refused.reason, settings.evidence_max_bytes)]}) from None
    return EvidenceSchema().dump(kept), 201


@bp.get("/evidence/<int:evidence_id>")
def download_evidence(evidence_id: int):
    """Download one evidence file, as the type its content showed (whoever may see its report)."""
    return evidence_views.download(evidence_id)


class EvidenceUploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class NewSubmissionSchema(RegistrationSchema):
    """The body of ``POST /api/submissions`` as documented: a registration and whether to submit it."""

    submit = fields.Boolean(load_default=False)


# What the OpenAPI document says about each view beyond its URL and docstring.
OPERATIONS = {
    create_submission: Operation(request=NewSubmissionSchema, response=SubmissionSchema, status=201,
                                 errors=(403, 409, 422)),
    update_submission: Operation(request=RegistrationSchema, response=SubmissionSchema,
                                 errors=(403, 404, 409, 422)),
    submit_submission: Operation(response=SubmissionSchema, errors=(403, 404, 409)),
    withdraw_submission: Operation(response=SubmissionSchema, errors=(403, 404, 409)),
    list_submissions: Operation(response=listing(SubmissionSchema(exclude=("history",)))),
    show_submission: Operation(response=SubmissionSchema, errors=(404,)),
    create_amendment: Operation(request=NewAmendmentSchema, response=SubmissionSchema, status=201,
                                errors=(403, 404, 409, 422)),
    update_amendment: Operation(request=AmendmentSchema, response=SubmissionSchema,
                                errors=(403, 404, 409, 422)),
    create_report: Operation(request=NewReportSchema, response=SubmissionSchema, status=201,
                             errors=(403, 404, 409, 422)),
    update_report: Operation(request=ReportSchema, response=SubmissionSchema,
                             errors=(403, 404, 409, 422)),
    download_evidence: Operation(response={"type": "string", "format": "binary"}, errors=(404,)),
    add_evidence: Operation(request=EvidenceUploadSchema, response=EvidenceSchema, status=201,
                            errors=(403, 404, 409, 413, 422), request_type="multipart/form-data"),
}
