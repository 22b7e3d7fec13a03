"""Review's JSON API: the queue, an item, and decisions, through the same handlers as the pages."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from review_service import services
from review_service.domain import Decision
from review_service.views import review
from shared.errors import InvalidInput
from shared.web.api import api_blueprint
from shared.web.auth import current_user
from shared.web.openapi import Operation, listing

bp = api_blueprint("api", __name__)


class AuditSchema(Schema):
    at = fields.DateTime()
    actor = fields.String(attribute="actor_name")
    action = fields.String()
    from_status = fields.String()
    to_status = fields.String()
    from_stage = fields.String()
    to_stage = fields.String()
    comment = fields.String()


class ItemSchema(Schema):
    id = fields.Integer()
    submission_id = fields.Integer()
    title = fields.String()
    field = fields.String()
    subject_type = fields.String()
    commune_code = fields.String()
    submitter_name = fields.String()
    stage = fields.String()
    status = fields.String()
    version = fields.Integer()
    opened_at = fields.DateTime()
    due_at = fields.DateTime()
    kind = fields.String()
    model_id = fields.Integer(allow_none=True)
    details = fields.Dict(allow_none=True)
    amendment = fields.Dict(allow_none=True)  # reason, and each change: name, before, after
    report = fields.Dict(allow_none=True)  # period, exact figures as strings, narrative, evidence
    audit = fields.List(fields.Nested(AuditSchema))


class DecisionSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf([d.value for d in Decision]))
    comment = fields.String(load_default="", validate=validate.Length(max=4000))
    version = fields.Integer(required=True, strict=True)


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput):
    fields_ = dict(error.errors)
    if fields_.get("comment") == ["required"]:
        fields_["comment"] = [_("A return needs a comment and a rejection needs a reason.")]
    return {"error": _("Some fields are not valid."), "fields": fields_}, 422


@bp.get("/queue")
def list_queue():
    """Open items at a stage that the caller may see."""
    wanted = services.QueueFilter(
        stage=request.args.get("stage", "commune"), field=request.args.get("field", ""),
        commune_code=request.args.get("commune", ""), search=request.args.get("q", ""),
        page=request.args.get("page", 1, type=int),
    )
    with review().sessions() as db:
        items = services.queue(db, current_user(), wanted)
        return {"items": ItemSchema(exclude=("audit",), many=True).dump(items)}


@bp.get("/items/<int:item_id>")
def show_item(item_id: int):
    """One item with its audit trail."""
    with review().sessions() as db:
        return ItemSchema().dump(services.get_visible(db, current_user(), item_id))


@bp.post("/items/<int:item_id>/decision")
def decide(item_id: int):
    """Approve, return (comment required) or reject (reason required)."""
    try:
        body = DecisionSchema().load(request.get_json(silent=True) or {})
    except ValidationError as error:
        raise InvalidInput(error.normalized_messages()) from error
    with review().uow() as uow:
        item = services.decide(services.Decide(
            user=current_user(), item_id=item_id, decision=Decision(body["decision"]),
            comment=body["comment"].strip(), expected_version=body["version"]), uow)
    return {"id": item.id, "status": item.status, "stage": item.stage, "version": item.version}


# What the OpenAPI document says about each view beyond its URL and docstring.
OPERATIONS = {
    list_queue: Operation(response=listing(ItemSchema(exclude=("audit",))),
                          query={"stage": "string", "field": "string", "commune": "string",
                                 "q": "string", "page": "integer"}),
    show_item: Operation(response=ItemSchema, errors=(404,)),
    decide: Operation(request=DecisionSchema,
                      response=ItemSchema(only=("id", "status", "stage", "version")),
                      errors=(403, 404, 409, 422)),
}
