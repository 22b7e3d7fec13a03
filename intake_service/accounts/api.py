"""The account part of the JSON API: sign a user out everywhere (oneself, or anyone as admin)."""

from __future__ import annotations

from flask import request
from marshmallow import Schema, fields

from intake_service.accounts import services as accounts
from intake_service.web import intake
from shared.web.api import api_blueprint
from shared.web.auth import current_user
from shared.web.openapi import Operation

bp = api_blueprint("account_api", __name__)


class SignedOutSchema(Schema):
    user_id = fields.Integer()
    epoch = fields.Integer(metadata={"description": "Sessions and tokens issued before this end."})


def _sign_out(user_id: int) -> dict:
    cmd = accounts.SignOutEverywhere(current_user(), user_id,
                                     correlation_id=request.headers.get("X-Correlation-Id", ""))
    with intake().uow() as uow:
        identity = accounts.sign_out_everywhere(cmd, uow)
    return {"user_id": identity.id, "epoch": identity.epoch}


@bp.post("/account/sign-out-everywhere")
def sign_out_everywhere():
    """End every session and API token of the caller (this token included), on both services."""
    return _sign_out(current_user().id)


@bp.post("/users/<int:user_id>/sign-out-everywhere")
def sign_user_out_everywhere(user_id: int):
    """Administrators: end every session and API token of a user, on both services."""
    return _sign_out(user_id)


OPERATIONS = {
    sign_out_everywhere: Operation(response=SignedOutSchema),
    sign_user_out_everywhere: Operation(response=SignedOutSchema, errors=(403, 404)),
}
