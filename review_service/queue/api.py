"""Review's JSON API: the queue, an item, and decisions, through the same handlers as the pages."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from review_service.queue import services
from review_service.queue.domain import Decision
from review_service.saved_views import services as saved_views
from review_service.team import services as assignment
from review_service.web import review
from shared.errors import InvalidInput, StaleDecision
from shared.web.api import api_blueprint, load_json
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
    assignee_id = fields.Integer(allow_none=True)
    assignee_name = fields.String(allow_none=True)
    opened_at = fields.DateTime()
    due_at = fields.DateTime()
    escalation = fields.Integer()  # 0 on time or not yet swept, 1 reminded, 2 escalated
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


DECISION = DecisionSchema()  # the busiest request: its schema is built once
BY_VOTE = _l("At the committee stage an item is decided only by the committee's vote: put it on "
             "the agenda of a committee session.")


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput):
    fields_ = dict(error.errors)
    if fields_.get("comment") == ["required"]:
        fields_["comment"] = [_("A return needs a comment and a rejection needs a reason.")]
    return {"error": _("Some fields are not valid."), "fields": fields_}, 422


@bp.errorhandler(services.DecidedByVote)
def decided_by_vote(_error: services.DecidedByVote):
    return {"error": str(BY_VOTE)}, 403


@bp.get("/queue")
def list_queue():
    """Open items at a stage that the caller may see."""
    wanted = services.QueueFilter.from_args(request.args, request.args.get("stage", "commune"))
    with review().sessions() as db:
        assignment.seen(db, current_user())
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
    body = load_json(DECISION)
    with review().uow() as uow:
        decided = services.decide(services.Decide(
            user=current_user(), item_id=item_id, decision=Decision(body["decision"]),
            comment=body["comment"].strip(), expected_version=body["version"]), uow)
    return {"id": decided.id, "status": decided.status, "stage": decided.stage,
            "version": decided.version}


class VersionSchema(Schema):
    version = fields.Integer(required=True, strict=True)


class AssignSchema(VersionSchema):
    assignee_id = fields.Integer(required=True, strict=True)


class HeldSchema(Schema):
    id = fields.Integer()
    version = fields.Integer()
    assignee_id = fields.Integer(allow_none=True)
    assignee_name = fields.String(allow_none=True)


class SelectedSchema(Schema):
    id = fields.Integer(required=True, strict=True)
    version = fields.Integer(required=True, strict=True)


class BulkApproveSchema(Schema):
    items = fields.List(fields.Nested(SelectedSchema), required=True,
                        validate=validate.Length(min=1, max=200))


class RefusalSchema(Schema):
    id = fields.Integer()
    reason = fields.String()  # stale | not_permitted | committee_vote | not_found | not_open


class BulkResultSchema(Schema):
    approved = fields.List(fields.Integer())
    refused = fields.List(fields.Nested(RefusalSchema))


class SavedViewSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    query = fields.String(load_default="", validate=validate.Length(max=1000))
    shared = fields.Boolean(load_default=False)
    owner_id = fields.Integer(dump_only=True)
    owner_name = fields.String(dump_only=True)


def _hold(handler, cmd):
    try:
        with review().uow() as uow:
            item = handler(cmd, uow)
    except StaleDecision:
        return {"error": _("Someone else changed this item first. Reload it to see its current "
                           "state.")}, 409
    return HeldSchema().dump(item)


@bp.post("/items/<int:item_id>/claim")
def claim(item_id: int):
    """Take an item to work on (the version you saw is required)."""
    body = load_json(VersionSchema())
    return _hold(assignment.claim, assignment.Claim(
        user=current_user(), item_id=item_id, expected_version=body["version"]))


@bp.post("/items/<int:item_id>/release")
def release(item_id: int):
    """Put a held item back in the team's pool."""
    body = load_json(VersionSchema())
    return _hold(assignment.release, assignment.Release(
        user=current_user(), item_id=item_id, expected_version=body["version"]))


@bp.post("/items/<int:item_id>/assign")
def assign(item_id: int):
    """Give an item to a colleague of the same role and area, as the queue has seen them."""
    body = load_json(AssignSchema())
    return _hold(assignment.assign, assignment.Assign(
        user=current_user(), item_id=item_id, assignee_id=body["assignee_id"],
        expected_version=body["version"]))


@bp.post("/queue/approve")
def bulk_approve():
    """Approve several items, each on its own; the refused ones come back with the reason."""
    body = load_json(BulkApproveSchema())
    selection = tuple((chosen["id"], chosen["version"]) for chosen in body["items"])
    result = assignment.bulk_approve(
        assignment.BulkApprove(user=current_user(), selection=selection), review().uow)
    return {"approved": result.approved,
            "refused": [{"id": item_id, "reason": why} for item_id, why in result.refused]}


@bp.get("/views")
def list_views():
    """One's own saved queue views and the team's shared ones."""
    with review().sessions() as db:
        return {"items": SavedViewSchema(many=True).dump(saved_views.visible(db, current_user()))}


@bp.post("/views")
def save_view():
    """Save a queue filter (its query string) under a name, optionally shared with the team."""
    body = load_json(SavedViewSchema())
    with review().uow() as uow:
        view = saved_views.save(saved_views.SaveView(user=current_user(), **body), uow)
        return SavedViewSchema().dump(view), 201


@bp.delete("/views/<int:view_id>")
def delete_view(view_id: int):
    """Delete one of one's own saved views."""
    with review().uow() as uow:
        saved_views.delete(saved_views.DeleteView(user=current_user(), view_id=view_id), uow)
    return "", 204


QUEUE_QUERY = {"stage": "string", "field": "string", "commune": "string", "subject_type": "string",
               "kind": "string", "overdue": "boolean", "assignee": "string", "sort": "string",
               "q": "string", "page": "integer"}
HELD = Operation(request=VersionSchema, response=HeldSchema, errors=(403, 404, 409, 422))

# What the OpenAPI document says about each view beyond its URL and docstring.
OPERATIONS = {
    list_queue: Operation(response=listing(ItemSchema(exclude=("audit",))), query=QUEUE_QUERY),
    claim: HELD,
    release: HELD,
    assign: Operation(request=AssignSchema, response=HeldSchema, errors=(403, 404, 409, 422)),
    bulk_approve: Operation(request=BulkApproveSchema, response=BulkResultSchema, errors=(422,)),
    list_views: Operation(response=listing(SavedViewSchema)),
    save_view: Operation(request=SavedViewSchema, response=SavedViewSchema, status=201,
                         errors=(422,)),
    delete_view: Operation(status=204, errors=(404,)),
    show_item: Operation(response=ItemSchema, errors=(404,)),
    decide: Operation(request=DecisionSchema,
                      response=ItemSchema(only=("id", "status", "stage", "version")),
                      errors=(403, 404, 409, 422)),
}
