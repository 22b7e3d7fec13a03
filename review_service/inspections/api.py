"""The inspections JSON API: plans, teams, tasks, reassignment and conclusion, through the same
handlers as the pages."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from review_service.inspections import checks, domain, queries, services, teams
from review_service.inspections.allocation import Refused as NotEligible
from review_service.inspections.domain import Outcome
from review_service.inspections.team_views import MESSAGES as TEAM_MESSAGES
from review_service.inspections.views import MESSAGES, REFUSALS, config, keep, refusal
from review_service.web import review
from shared import uploads
from shared.errors import InvalidInput
from shared.web.api import api_blueprint, load_json
from shared.web.auth import current_user
from shared.web.openapi import Operation, listing

bp = api_blueprint("inspections_api", __name__)


class PersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class TaskSchema(Schema):
    id = fields.Integer()
    plan_id = fields.Integer()
    item_id = fields.Integer()
    model_id = fields.Integer()
    title = fields.Function(lambda task: task.item.title)
    commune_code = fields.String()
    source = fields.String()
    nomination_id = fields.Integer(allow_none=True)
    team_id = fields.Integer(allow_none=True)
    team_name = fields.Function(lambda task: task.team.name if task.team else None)
    inspectors = fields.List(fields.Nested(PersonSchema))
    status = fields.String()
    due_at = fields.DateTime(allow_none=True)
    escalation = fields.Integer()
    checklist = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True)
    findings = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    concluded_by = fields.String(allow_none=True)
    concluded_at = fields.DateTime(allow_none=True)


class EvidenceSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    uploaded_at = fields.DateTime()


class EvidenceUploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class PlanSchema(Schema):
    id = fields.Integer()
    district_code = fields.String()
    label = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    period_id = fields.Integer(allow_none=True)
    sample_share = fields.String()
    seed = fields.Integer()
    sampled_from = fields.Integer()
    sampled_at = fields.DateTime(allow_none=True)
    created_by = fields.String()
    tasks = fields.List(fields.Nested(TaskSchema))


class MemberSchema(Schema):
    id = fields.Integer(dump_only=True)
    user_id = fields.Integer(required=True, strict=True, validate=validate.Range(1, 2**31 - 1))
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    home_commune = fields.String(required=True, validate=validate.Length(min=1, max=80))
    unit_name = fields.String(load_default="", allow_none=True, validate=validate.Length(max=200))


class TeamSchema(Schema):
    id = fields.Integer(dump_only=True)
    district_code = fields.String(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=3, max=200))
    communes = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    members = fields.List(fields.Nested(MemberSchema), dump_only=True)


class NewPlanSchema(Schema):
    label = fields.String(required=True, validate=validate.Length(min=3, max=200))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    period_id = fields.Integer(load_default=None, allow_none=True, strict=True)
    seed = fields.Integer(load_default=None, allow_none=True, strict=True,
                          validate=validate.Range(0, 2**63 - 1))


class AddModelSchema(Schema):
    item_id = fields.Integer(required=True, strict=True)


class ReassignSchema(Schema):
    team_id = fields.Integer(required=True, strict=True)


class ConclusionSchema(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf([o.value for o in Outcome]))
    findings = fields.String(required=True, validate=validate.Length(min=1, max=8000))
    checklist = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput):
    """The handlers' own checks name a field and a code; say what to fix instead."""
    known = MESSAGES | TEAM_MESSAGES
    described = {name: [str(known[(name, m)]) if isinstance(m, str) and (name, m) in known else m
                        for m in messages] for name, messages in error.errors.items()}
    return {"error": _("Some fields are not valid."), "fields": described}, 422


@bp.errorhandler(NotEligible)
def not_eligible(error: NotEligible):
    return {"error": str(REFUSALS[error.reason]), "reason": error.reason}, 409


@bp.get("/inspections/plans")
def list_plans():
    """The inspection plans of the caller's district."""
    with review().sessions() as db:
        return {"items": PlanSchema(exclude=("tasks",), many=True).dump(
            queries.plans(db, current_user()))}


@bp.post("/inspections/plans")
def create_plan():
    """Set up a plan for a stretch of time and draw its stratified random sample."""
    body = load_json(NewPlanSchema())
    with review().uow() as uow:
        created = services.create_plan(services.CreatePlan(user=current_user(), **body), uow,
                                       config())
        return PlanSchema().dump(created), 201


@bp.get("/inspections/plans/<int:plan_id>")
def show_plan(plan_id: int):
    """One plan with its tasks."""
    with review().sessions() as db:
        return PlanSchema().dump(queries.get_plan(db, current_user(), plan_id))


@bp.post("/inspections/plans/<int:plan_id>/models")
def add_model(plan_id: int):
    """Add an approved model to the plan by hand; it is assigned by the rules."""
    body = load_json(AddModelSchema())
    with review().uow() as uow:
        added = services.add_model(services.AddModel(current_user(), plan_id, body["item_id"]),
                                   uow, config())
        return TaskSchema().dump(added), 201


@bp.get("/inspections/teams")
def list_teams():
    """The district's inspection teams with their communes and members."""
    with review().sessions() as db:
        return {"items": TeamSchema(many=True).dump(teams.teams(db, current_user()))}


@bp.post("/inspections/teams")
def create_team():
    """Set up a team covering some communes (administrators)."""
    body = load_json(TeamSchema())
    with review().uow() as uow:
        created = teams.save_team(teams.SaveTeam(current_user(), body["name"],
                                                 tuple(body["communes"])), uow, config())
        return TeamSchema().dump(created), 201


@bp.post("/inspections/teams/<int:team_id>/members")
def add_member(team_id: int):
    """Put a person on a team with their home commune and unit (administrators)."""
    body = load_json(MemberSchema())
    with review().uow() as uow:
        added = teams.add_member(teams.AddMember(
            current_user(), team_id, body["user_id"], body["name"], body["home_commune"],
            body.get("unit_name") or ""), uow, config())
        return MemberSchema().dump(added), 201


@bp.get("/inspections/tasks")
def list_tasks():
    """The tasks the caller may see: an inspector's own, or the district's."""
    with review().sessions() as db:
        found = queries.tasks(db, current_user(), request.args.get("status", ""),
                               request.args.get("overdue") in ("1", "true"))
        return {"items": TaskSchema(many=True).dump(found)}


@bp.get("/inspections/tasks/<int:task_id>")
def show_task(task_id: int):
    """One task: who inspects, its checklist, findings and outcome."""
    with review().sessions() as db:
        return TaskSchema().dump(queries.get_task(db, current_user(), task_id))


@bp.post("/inspections/tasks/<int:task_id>/reassign")
def reassign(task_id: int):
    """Give an open task to another team (administrators); refused (409) against the rules."""
    body = load_json(ReassignSchema())
    with review().uow() as uow:
        done = services.reassign(services.Reassign(current_user(), task_id, body["team_id"]),
                                 uow, config())
        return TaskSchema().dump(done)


@bp.post("/inspections/tasks/<int:task_id>/conclusion")
def conclude(task_id: int):
    """Conclude a task (an inspector it names): checklist, findings, outcome."""
    body = load_json(ConclusionSchema())
    with review().uow() as uow:
        done = checks.conclude(checks.Conclude(current_user(), task_id, body["outcome"],
                                               body["findings"], body["checklist"]),
                               uow, config().criteria)
        return TaskSchema().dump(done)


@bp.post("/inspections/tasks/<int:task_id>/evidence")
def add_evidence(task_id: int):
    """Attach one photo or document (multipart field ``file``) to the caller's check, judged by
    its content."""
    settings = review().settings
    with review().sessions() as db:  # whose check it is comes before what was sent
        found = queries.get_task(db, current_user(), task_id)
        domain.check_inspector(current_user(), found.inspector_ids)
    request.max_content_length = settings.evidence_max_bytes + 64 * 1024
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput({"file": [_("Send the file in the multipart field \"file\".")]})
    try:
        kept = keep(task_id, upload.filename or "", upload.read(settings.evidence_max_bytes + 1))
    except uploads.Refused as refused:
        raise InvalidInput({"file": [refusal(refused.reason)]}) from None
    return EvidenceSchema().dump(kept), 201


TASK_ERRORS = (403, 404, 409, 422)
OPERATIONS = {
    list_plans: Operation(response=listing(PlanSchema(exclude=("tasks",))), errors=(403,)),
    create_plan: Operation(request=NewPlanSchema, response=PlanSchema, status=201,
                           errors=(403, 422)),
    show_plan: Operation(response=PlanSchema, errors=(403, 404)),
    add_model: Operation(request=AddModelSchema, response=TaskSchema, status=201,
                         errors=(403, 404, 422)),
    list_teams: Operation(response=listing(TeamSchema), errors=(403,)),
    create_team: Operation(request=TeamSchema, response=TeamSchema, status=201, errors=(403, 422)),
    add_member: Operation(request=MemberSchema, response=MemberSchema, status=201,
                          errors=(403, 404, 422)),
    list_tasks: Operation(response=listing(TaskSchema), errors=(403,),
                          query={"status": "string", "overdue": "boolean"}),
    show_task: Operation(response=TaskSchema, errors=(404,)),
    reassign: Operation(request=ReassignSchema, response=TaskSchema, errors=TASK_ERRORS),
    conclude: Operation(request=ConclusionSchema, response=TaskSchema, errors=TASK_ERRORS),
    add_evidence: Operation(request=EvidenceUploadSchema, response=EvidenceSchema, status=201,
                            errors=(403, 404, 409, 413, 422), request_type="multipart/form-data"),
}
