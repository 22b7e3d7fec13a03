"""The nominations' JSON API: the same steps as the pages, through the same handlers."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from review_service.nominations import domain, services
from review_service.nominations.domain import Refused
from review_service.nominations.views import (
    dossier_file,
    field_messages,
    forms,
    refusal_message,
    start_dossier,
)
from review_service.web import review
from shared.errors import InvalidInput
from shared.web.api import api_blueprint, load_json
from shared.web.auth import current_user
from shared.web.openapi import Operation, listing

bp = api_blueprint("nominations_api", __name__)


class NominatedModelSchema(Schema):
    model_id = fields.Integer()
    item_id = fields.Integer()
    title = fields.String()


class NominationHistorySchema(Schema):
    at = fields.DateTime()
    actor_name = fields.String()
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    comment = fields.String(allow_none=True)


class NominationSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    subject_type = fields.String()
    subject_name = fields.String()
    models = fields.List(fields.Nested(NominatedModelSchema))
    district_code = fields.String()
    commune_code = fields.String()
    commune_name = fields.String()
    award_form = fields.String()
    level = fields.String()
    commendation_type = fields.String()
    reasons = fields.String()
    achievements = fields.String()
    session_id = fields.Integer(allow_none=True)
    inspection_outcome = fields.String(allow_none=True)
    findings = fields.String(allow_none=True)
    returned = fields.Boolean(metadata={"description": "returned by an inspection that did not "
                                                      "fully verify the model"})
    decision_number = fields.String(allow_none=True)
    decision_date = fields.Date(allow_none=True)
    signer = fields.String(allow_none=True)
    drop_reason = fields.String(allow_none=True)
    version = fields.Integer()
    updated_at = fields.DateTime()
    history = fields.List(fields.Nested(NominationHistorySchema))


class NominationEditSchema(Schema):
    award_form = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(domain.LEVELS))
    commendation_type = fields.String(required=True, validate=validate.OneOf(domain.COMMENDATION_TYPES))
    reasons = fields.String(load_default="", validate=validate.Length(max=domain.TEXT_MAX))
    achievements = fields.String(load_default="", validate=validate.Length(max=domain.TEXT_MAX))
    version = fields.Integer(load_default=None, strict=True)


class NominationStepSchema(Schema):
    version = fields.Integer(load_default=None, strict=True)


class NominationDecisionSchema(Schema):
    decision_number = fields.String(required=True, validate=validate.Length(min=1, max=80))
    decision_date = fields.Date(required=True)
    signer = fields.String(required=True, validate=validate.Length(min=1, max=200))
    version = fields.Integer(load_default=None, strict=True)


class NominationReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=domain.TEXT_MAX))
    version = fields.Integer(load_default=None, strict=True)


class NewDossierSchema(Schema):
    nomination_ids = fields.List(fields.Integer(strict=True), required=True,
                                 validate=validate.Length(min=1, max=200))


class DossierSchema(Schema):
    id = fields.Integer()
    district_code = fields.String()
    nomination_ids = fields.List(fields.Integer())
    status = fields.String()
    total = fields.Integer()
    processed = fields.Integer()
    error = fields.String(allow_none=True)
    downloads = fields.Function(lambda d: {kind: url_for("nominations_api.download_dossier",
                                                         dossier_id=d.id, kind=kind)
                                           for kind in ("docx", "pdf", "xlsx")}
                                if d.status == "done" else {})


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput):
    return {"error": _("Some fields are not valid."), "fields": field_messages(error.errors)}, 422


@bp.errorhandler(Refused)
def refused(error: Refused):
    return {"error": refusal_message(error)}, 409


def _dump(nomination_id: int):
    with review().sessions() as db:
        return NominationSchema().dump(services.get(db, current_user(), nomination_id))


@bp.get("/nominations")
def list_nominations():
    """The award nominations of the caller's district, newest first; ``status`` narrows them."""
    with review().sessions() as db:
        found = services.nominations(db, current_user(), request.args.get("status", ""))
        return {"items": NominationSchema(exclude=("history",), many=True).dump(found)}


@bp.get("/nominations/<int:nomination_id>")
def show_nomination(nomination_id: int):
    """One nomination with its history."""
    return _dump(nomination_id)


@bp.post("/nominations/<int:nomination_id>/details")
def edit_nomination(nomination_id: int):
    """Change the award form, level, commendation type, reasons and achievements (while prepared)."""
    body = load_json(NominationEditSchema())
    with review().uow() as uow:
        services.edit(services.Edit(user=current_user(), nomination_id=nomination_id,
                                    expected_version=body.pop("version"), **body), uow, forms())
    return _dump(nomination_id)


@bp.post("/nominations/<int:nomination_id>/inspection")
def request_inspection(nomination_id: int):
    """Send a proposed nomination for inspection on site."""
    body = load_json(NominationStepSchema())
    with review().uow() as uow:
        services.request_inspection(services.RequestInspection(
            current_user(), nomination_id, body["version"]), uow)
    return _dump(nomination_id)


@bp.post("/nominations/<int:nomination_id>/submit")
def submit_nomination(nomination_id: int):
    """Submit for decision: refused before the inspection verified the model or while the subject
    is flagged ineligible."""
    body = load_json(NominationStepSchema())
    with review().uow() as uow:
        services.submit(services.Submit(current_user(), nomination_id, body["version"]), uow)
    return _dump(nomination_id)


@bp.post("/nominations/<int:nomination_id>/decision")
def decide_nomination(nomination_id: int):
    """Record the decision: number, date and signer."""
    body = load_json(NominationDecisionSchema())
    with review().uow() as uow:
        services.decide(services.Decide(
            user=current_user(), nomination_id=nomination_id,
            decision_number=body["decision_number"], decision_date=body["decision_date"],
            signer=body["signer"], expected_version=body["version"]), uow)
    return _dump(nomination_id)


@bp.post("/nominations/<int:nomination_id>/drop")
def drop_nomination(nomination_id: int):
    """Drop a nomination that is not final, with the reason."""
    body = load_json(NominationReasonSchema())
    with review().uow() as uow:
        services.drop(services.Drop(current_user(), nomination_id, body["reason"], body["version"]),
                      uow)
    return _dump(nomination_id)


@bp.post("/nominations/<int:nomination_id>/ineligible")
def flag_subject(nomination_id: int):
    """Flag the nomination's subject as ineligible, with the reason (administrators)."""
    body = load_json(NominationReasonSchema())
    with review().uow() as uow:
        services.flag_ineligible(services.FlagIneligible(current_user(), nomination_id,
                                                         body["reason"]), uow)
    return _dump(nomination_id)


@bp.delete("/nominations/<int:nomination_id>/ineligible")
def clear_subject_flag(nomination_id: int):
    """Clear the subject's ineligibility flag (administrators)."""
    with review().uow() as uow:
        services.clear_ineligible(services.ClearIneligible(current_user(), nomination_id), uow)
    return _dump(nomination_id)


@bp.post("/nominations/dossiers")
def create_dossier():
    """Queue the dossier of some nominations of one district; poll it until it is done."""
    body = load_json(NewDossierSchema())
    dossier = start_dossier(tuple(body["nomination_ids"]))
    with review().sessions() as db:
        return DossierSchema().dump(services.get_dossier(db, current_user(), dossier.id)), 202


@bp.get("/nominations/dossiers/<int:dossier_id>")
def show_dossier(dossier_id: int):
    """A dossier's progress and, once done, where to download its DOCX, PDF and XLSX."""
    with review().sessions() as db:
        return DossierSchema().dump(services.get_dossier(db, current_user(), dossier_id))


@bp.get("/nominations/dossiers/<int:dossier_id>/dossier.<kind>")
def download_dossier(dossier_id: int, kind: str):
    """Download a finished dossier: ``docx`` (to edit), ``pdf``, or ``xlsx`` (the list of nominees)."""
    return dossier_file(dossier_id, kind)


STEP_ERRORS = (403, 404, 409)
OPERATIONS = {
    list_nominations: Operation(response=listing(NominationSchema(exclude=("history",))),
                                errors=(403,), query={"status": "string"}),
    show_nomination: Operation(response=NominationSchema, errors=(403, 404)),
    edit_nomination: Operation(request=NominationEditSchema, response=NominationSchema,
                               errors=(*STEP_ERRORS, 422)),
    request_inspection: Operation(request=NominationStepSchema, response=NominationSchema,
                                  errors=STEP_ERRORS),
    submit_nomination: Operation(request=NominationStepSchema, response=NominationSchema,
                                 errors=STEP_ERRORS),
    decide_nomination: Operation(request=NominationDecisionSchema, response=NominationSchema,
                                 errors=(*STEP_ERRORS, 422)),
    drop_nomination: Operation(request=NominationReasonSchema, response=NominationSchema,
                               errors=(*STEP_ERRORS, 422)),
    flag_subject: Operation(request=NominationReasonSchema, response=NominationSchema,
                            errors=(*STEP_ERRORS, 422)),
    clear_subject_flag: Operation(response=NominationSchema, errors=STEP_ERRORS),
    create_dossier: Operation(request=NewDossierSchema, response=DossierSchema, status=202,
                              errors=(403, 404, 422)),
    show_dossier: Operation(response=DossierSchema, errors=(403, 404)),
    download_dossier: Operation(errors=(403, 404)),  # the file itself, not JSON
}
