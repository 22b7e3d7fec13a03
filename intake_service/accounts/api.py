"""The account part of the JSON API: API tokens and signing out everywhere (one's own, or anyone's
as an administrator)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, request
from marshmallow import Schema, fields, validate

from intake_service.accounts import administration as admin
from intake_service.accounts import services as accounts
from intake_service.accounts import throttling
from intake_service.web import intake
from shared.web.api import api_blueprint, load_json
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


class TokenSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    created_at = fields.DateTime(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)
    last_used_at = fields.DateTime(dump_only=True, allow_none=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(dump_only=True, metadata={"description": "Shown this once only."})


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema))


def _list(user_id: int) -> dict:
    with intake().sessions() as db:
        return {"items": TokenSchema(many=True).dump(accounts.tokens_of(db, current_user(), user_id))}


def _create(user_id: int):
    body = load_json(TokenSchema())
    lifetime = timedelta(days=intake().settings.token_days)
    with intake().uow() as uow:
        row, token = accounts.create_token(
            accounts.CreateToken(current_user(), user_id, body["name"], lifetime), uow,
            current_app.config["SECRET_KEY"])
        return {**TokenSchema().dump(row), "token": token}, 201


@bp.get("/account/tokens")
def list_tokens():
    """The caller's API tokens with their expiry and last use (never the tokens themselves)."""
    return _list(current_user().id)


@bp.post("/account/tokens")
@throttling.token_creation
def create_token():
    """Create a named API token for the caller; the token is in this answer only."""
    return _create(current_user().id)


@bp.get("/users/<int:user_id>/tokens")
def list_user_tokens(user_id: int):
    """Administrators: a user's API tokens."""
    return _list(user_id)


@bp.post("/users/<int:user_id>/tokens")
def create_user_token(user_id: int):
    """Administrators: create a named API token for a user."""
    return _create(user_id)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """Revoke one API token (one's own, or anyone's as an administrator), on both services."""
    cmd = accounts.RevokeToken(current_user(), token_id,
                               correlation_id=request.headers.get("X-Correlation-Id", ""))
    with intake().uow() as uow:
        return TokenSchema().dump(accounts.revoke_token(cmd, uow))


class NewUserSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))
    role = fields.String(required=True)
    scope = fields.String(required=True, validate=validate.Length(max=80))
    email = fields.Email(load_default=None, allow_none=True)


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    name = fields.String()
    role = fields.String()
    scope = fields.String()
    disabled = fields.Boolean()


class RoleSchema(Schema):
    role = fields.String(required=True)
    scope = fields.String(required=True, validate=validate.Length(max=80))


class ResetSchema(UserSchema):
    code = fields.String(metadata={"description": "The one-time code, shown this once only."})


class LogEntrySchema(Schema):
    at = fields.DateTime()
    actor_name = fields.String()
    action = fields.String()
    username = fields.String()
    details = fields.Dict(allow_none=True)


class LogSchema(Schema):
    items = fields.List(fields.Nested(LogEntrySchema))


@bp.post("/users")
def create_user():
    """Administrators: create an account."""
    body = load_json(NewUserSchema())
    with intake().uow() as uow:
        return UserSchema().dump(admin.create_user(admin.CreateUser(current_user(), **body), uow)), 201


def _disabled(user_id: int, disabled: bool) -> dict:
    with intake().uow() as uow:
        return UserSchema().dump(admin.set_disabled(
            admin.SetDisabled(current_user(), user_id, disabled), uow))


@bp.post("/users/<int:user_id>/disable")
def disable_user(user_id: int):
    """Administrators: disable an account; its sessions and tokens end on both services."""
    return _disabled(user_id, True)


@bp.post("/users/<int:user_id>/enable")
def enable_user(user_id: int):
    """Administrators: let a disabled account sign in again."""
    return _disabled(user_id, False)


@bp.put("/users/<int:user_id>/role")
def change_user_role(user_id: int):
    """Administrators: change an account's role and scope; its sessions and tokens end."""
    body = load_json(RoleSchema())
    with intake().uow() as uow:
        return UserSchema().dump(admin.change_role(
            admin.ChangeRole(current_user(), user_id, body["role"], body["scope"].strip()), uow))


@bp.post("/users/<int:user_id>/reset-password")
def reset_user_password(user_id: int):
    """Administrators: replace a password by a one-time code; the user must choose a new one."""
    with intake().uow() as uow:
        user, code = admin.reset_password(admin.ResetPassword(current_user(), user_id), uow)
        return {**UserSchema().dump(user), "code": code}


@bp.get("/users/log")
def administration_log():
    """Administrators: the administration log, newest first."""
    with intake().sessions() as db:
        return {"items": LogEntrySchema(many=True).dump(admin.log(db, current_user()))}


OPERATIONS = {
    create_user: Operation(request=NewUserSchema, response=UserSchema, status=201,
                           errors=(403, 422)),
    disable_user: Operation(response=UserSchema, errors=(403, 404, 422)),
    enable_user: Operation(response=UserSchema, errors=(403, 404)),
    change_user_role: Operation(request=RoleSchema, response=UserSchema, errors=(403, 404, 422)),
    reset_user_password: Operation(response=ResetSchema, errors=(403, 404)),
    administration_log: Operation(response=LogSchema, errors=(403,)),
    list_tokens: Operation(response=TokenListSchema),
    create_token: Operation(request=TokenSchema, response=NewTokenSchema, status=201, errors=(422,)),
    list_user_tokens: Operation(response=TokenListSchema, errors=(403,)),
    create_user_token: Operation(request=TokenSchema, response=NewTokenSchema, status=201,
                                 errors=(403, 404, 422)),
    revoke_token: Operation(response=TokenSchema, errors=(404,)),
    sign_out_everywhere: Operation(response=SignedOutSchema),
    sign_user_out_everywhere: Operation(response=SignedOutSchema, errors=(403, 404)),
}
