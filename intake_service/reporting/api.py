"""The report as JSON: the same figures as the page, for the org units and periods the caller may see."""

from __future__ import annotations

from flask import current_app, request
from marshmallow import Schema, fields

from intake_service.periods.domain import today_in_vietnam
from intake_service.reporting import queries, services
from intake_service.web import intake
from shared.errors import NotFound
from shared.web.api import api_blueprint
from shared.web.auth import current_user
from shared.web.openapi import Operation

bp = api_blueprint("reporting_api", __name__)


class ReportCountsSchema(Schema):
    holders = fields.Integer(metadata={"description": "distinct units (collective) or people (individual)"})
    models = fields.Integer()
    by_field = fields.Dict(keys=fields.String(), values=fields.Integer())


class ReportRegisteredSchema(Schema):
    total = fields.Integer()
    by_subject = fields.Dict(keys=fields.String(), values=fields.Nested(ReportCountsSchema))


class ReportRowSchema(Schema):
    code = fields.String()
    name = fields.String()
    became = fields.String(allow_none=True)
    registered = fields.Nested(ReportRegisteredSchema)


class ReportStatusSchema(Schema):
    approved = fields.Integer()
    returned = fields.Integer()
    pending = fields.Integer()
    overdue = fields.Integer()
    rejected = fields.Integer()


class DistrictReportSchema(Schema):
    org_code = fields.String()
    org_name = fields.String()
    period_id = fields.Function(lambda r: r.period.id, metadata={"type": "integer"})
    previous_period_id = fields.Function(lambda r: r.previous.id if r.previous else None,
                                         metadata={"type": "integer"}, allow_none=True)
    registered = fields.Nested(ReportRegisteredSchema)
    previous_total = fields.Function(lambda r: r.deltas["total"].before, metadata={"type": "integer"},
                                     allow_none=True)
    rows = fields.List(fields.Nested(ReportRowSchema))
    contributions = fields.Dict(keys=fields.String(), values=fields.Decimal(as_string=True))
    status = fields.Dict(keys=fields.String(), values=fields.Nested(ReportStatusSchema))
    due_summary = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(),
                                                                       values=fields.Integer()))
    recognition = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(),
                                                                      values=fields.Integer()))


@bp.get("/report")
def show_report():
    """The report of an org unit (``org``, default the caller's area; ``*`` the country) and period."""
    with intake().sessions() as db:
        user = current_user()
        org = request.args.get("org") or user.scope
        tree = services.check_scope(db, user, org)
        period = queries.period_of(db, request.args.get("period", type=int))
        if period is None:
            raise NotFound()
        report = current_app.extensions["reporting"].reports.get(db, user, org, period,
                                                                 today_in_vietnam(), tree)
    return DistrictReportSchema().dump(report)


OPERATIONS = {
    show_report: Operation(response=DistrictReportSchema, errors=(403, 404),
                           query={"org": "string", "period": "integer"}),
}
