"""The notifications' JSON API: the caller's notifications, and marking them read.

Notifications are always the caller's own.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields

from intake_service.notifications import services, texts
from intake_service.web import intake
from shared.errors import InvalidInput
from shared.web.api import api_blueprint, json_object
from shared.web.auth import current_user
from shared.web.openapi import Operation, listing

bp = api_blueprint("notifications_api", __name__)


class NotificationSchema(Schema):
    id = fields.Integer()
    text = fields.String()
    created_at = fields.DateTime()
    read = fields.Boolean()


class MarkReadSchema(Schema):
    notification_id = fields.Integer(strict=True, allow_none=True, load_default=None, metadata={
        "description": "One of the caller's notifications; null or absent: all of them."})


class MarkedSchema(Schema):
    marked = fields.Integer()


@bp.get("/notifications")
def list_notifications():
    """The caller's notifications, newest first, in the caller's language."""
    with intake().sessions() as db:
        notes = [{"id": n.id, "text": texts.render_notification(n.key, n.params),
                  "created_at": n.created_at, "read": n.read_at is not None}
                 for n in services.notifications_of(db, current_user())]
    return {"items": NotificationSchema(many=True).dump(notes)}


@bp.post("/notifications/read")
def mark_read():
    """Mark one of the caller's notifications (or all of them) as read; say how many changed."""
    try:
        body = MarkReadSchema().load(json_object(MarkReadSchema().fields))
    except ValidationError as error:
        raise InvalidInput(error.normalized_messages()) from error
    with intake().uow() as uow:
        marked = services.mark_read(services.MarkRead(current_user(), body["notification_id"]), uow)
    return {"marked": marked}


# What the OpenAPI document says about each view beyond its URL and docstring.
OPERATIONS = {
    list_notifications: Operation(response=listing(NotificationSchema)),
    mark_read: Operation(request=MarkReadSchema, response=MarkedSchema, errors=(422,)),
}
