"""The periods' JSON API: periods (opening one is for administrators), what is due.

Who sees what: every signed-in user may read the periods and their deadlines.
What is due follows the pages' rule (``services.units_visible_to``): a unit sees
its own, a commune reviewer the units of the commune, district-wide roles and
administrators every unit.
"""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import Schema, fields

from intake_service.periods import services
from intake_service.periods.domain import DEFAULT_KINDS, today_in_vietnam
from intake_service.periods.schemas import PeriodSchema, load_period
from intake_service.periods.views import period_settings
from intake_service.web import intake
from shared.catalog import period_label
from shared.errors import NotPermitted
from shared.identity import is_admin
from shared.web.api import api_blueprint, json_object
from shared.web.auth import current_user
from shared.web.openapi import Operation, listing

bp = api_blueprint("periods_api", __name__)


class PeriodOutSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    year = fields.Integer()
    label = fields.Function(lambda period: period_label(period.kind, period.year),
                            metadata={"type": "string"})
    due_items = fields.List(fields.String())
    opens_on = fields.Date()
    deadline = fields.Date()
    closed_at = fields.DateTime(allow_none=True)


class DueItemSchema(Schema):
    item = fields.String()
    status = fields.String(metadata={"enum": ["on_time", "late", "missing", "pending"]})
    sent_on = fields.Date(allow_none=True)


class UnitDueSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    commune_code = fields.String()
    commune = fields.String()
    items = fields.List(fields.Nested(DueItemSchema))


class PeriodDueSchema(Schema):
    period = fields.Nested(PeriodOutSchema)
    units = fields.List(fields.Nested(UnitDueSchema))


@bp.get("/periods")
def list_periods():
    """Every reporting period, newest first."""
    with intake().sessions() as db:
        return {"items": PeriodOutSchema(many=True).dump(services.all_periods(db))}


@bp.post("/periods")
def open_period():
    """Administrators: open a reporting period with its deadline."""
    user = current_user()
    if not is_admin(user):
        raise NotPermitted()
    kinds = period_settings().kinds
    data = load_period(json_object(PeriodSchema(kinds).fields), kinds)
    cmd = services.OpenPeriod(user, data["kind"], data["year"], tuple(data["due_items"]),
                              data["opens_on"], data["deadline"])
    try:
        with intake().uow() as uow:
            period = services.open_period(cmd, uow)
    except services.PeriodExists:
        return {"error": _("A period of this kind already exists for this year.")}, 409
    return PeriodOutSchema().dump(period), 201


@bp.get("/due")
def list_due():
    """What is due in each open period: the caller's own, or per unit of the caller's area."""
    with intake().sessions() as db:
        dues = services.dues(db, current_user(), today_in_vietnam())
        items = [{"period": period, "units": [_unit_due(due) for due in units]}
                 for period, units in dues]
        return {"items": PeriodDueSchema(many=True).dump(items)}


def _unit_due(due: services.UnitDue) -> dict:
    return {"user_id": due.unit.id, "name": due.unit.name, "commune_code": due.unit.scope,
            "commune": due.commune,
            "items": [{"item": item, "status": str(status), "sent_on": sent_on}
                      for item, (status, sent_on) in due.items.items()]}


# What the OpenAPI document says about each view beyond its URL and docstring.
OPERATIONS = {
    list_periods: Operation(response=listing(PeriodOutSchema)),
    open_period: Operation(request=PeriodSchema(DEFAULT_KINDS), response=PeriodOutSchema,
                           status=201, errors=(403, 409, 422)),
    list_due: Operation(response=listing(PeriodDueSchema), errors=(403,)),
}
