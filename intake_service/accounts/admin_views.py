"""Administrators' pages for accounts: create, disable and re-enable, reset a password, change
role and scope, and read or export the administration log."""

from __future__ import annotations

import io
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook

from intake_service.accounts import administration as admin
from intake_service.accounts import services as accounts
from intake_service.accounts.tables import User
from intake_service.accounts.views import PASSWORD_MESSAGES, TOKEN_MESSAGES
from intake_service.directory.catalog import ROLE_LABELS
from intake_service.web import intake
from shared import spreadsheets
from shared.days import VIETNAM
from shared.errors import InvalidInput, NotFound
from shared.identity import Role
from shared.web.auth import current_user, login_required, require_role

bp = Blueprint("users_admin", __name__, url_prefix="/admin/users")

MESSAGES = {
    "required": _l("This field is required."),
    "taken": _l("A user with this username already exists."),
    "unknown_role": _l("Choose a role from the list."),
    "unknown_scope": _l("No org unit has this code."),
    "commune_scope": _l("This role works in a commune or township; choose one as its scope."),
    "yourself": _l("You cannot disable your own account."),
    **{code: message for code, message in PASSWORD_MESSAGES.items()},
}
ACTIONS = {"created": _l("created"), "disabled": _l("disabled"), "enabled": _l("enabled"),
           "password_reset": _l("password reset"), "role_changed": _l("role or scope changed"),
           "token_created": _l("API token created"), "token_revoked": _l("API token revoked")}


@bp.before_request
@login_required
def admins_only():
    """Every page here is for administrators; any other role gets 403."""
    require_role(Role.ADMIN)


def messages(invalid: InvalidInput) -> dict:
    return {name: [MESSAGES.get(code, code) for code in codes] for name, codes in invalid.errors.items()}


def _page(errors: dict | None = None, values: dict | None = None, code: tuple | None = None,
          status: int = 200):
    with intake().sessions() as db:
        listed = admin.users(db, current_user())
        response = current_app.make_response((render_template(
            "users/index.html", users=listed, roles=ROLE_LABELS, errors=errors or {},
            values=values or {}, code=code), status))
    response.headers["Cache-Control"] = "no-store"  # a one-time code is shown once
    return response


@bp.get("")
def index():
    """List the accounts, with what an administrator may do to each."""
    return _page()


@bp.post("")
def create():
    """Create an account."""
    form = request.form
    cmd = admin.CreateUser(current_user(), form.get("username", ""), form.get("name", ""),
                           form.get("password", ""), form.get("role", ""), form.get("scope", ""),
                           form.get("email") or None)
    try:
        with intake().uow() as uow:
            admin.create_user(cmd, uow)
    except InvalidInput as invalid:
        return _page(messages(invalid), {k: v for k, v in form.items() if k != "password"}, status=422)
    flash(_("The account %(username)s was created.", username=cmd.username.strip()))
    return redirect(url_for("users_admin.index"))


def _act(handler, cmd, done):
    try:
        with intake().uow() as uow:
            handler(cmd, uow)
    except InvalidInput as invalid:
        return _page(messages(invalid), status=422)
    flash(str(done))
    return redirect(url_for("users_admin.index"))


@bp.post("/<int:user_id>/disable")
def disable(user_id: int):
    """Disable an account: its sessions and tokens end on both services at once."""
    return _act(admin.set_disabled, admin.SetDisabled(current_user(), user_id, True),
                _l("The account was disabled; its sessions and tokens stopped working."))


@bp.post("/<int:user_id>/enable")
def enable(user_id: int):
    """Enable a disabled account again."""
    return _act(admin.set_disabled, admin.SetDisabled(current_user(), user_id, False),
                _l("The account can sign in again."))


@bp.post("/<int:user_id>/role")
def change_role(user_id: int):
    """Change an account's role and scope; its sessions and tokens end."""
    cmd = admin.ChangeRole(current_user(), user_id, request.form.get("role", ""),
                           request.form.get("scope", "").strip())
    return _act(admin.change_role, cmd, _l("The role and scope were changed."))


@bp.post("/<int:user_id>/reset-password")
def reset_password(user_id: int):
    """Replace the password by a one-time code, shown here once."""
    with intake().uow() as uow:
        user, code = admin.reset_password(admin.ResetPassword(current_user(), user_id), uow)
        username = user.username
    return _page(code=(username, code))


def _tokens_page(user_id: int, token: str | None = None, errors: dict | None = None,
                 status: int = 200):
    with intake().sessions() as db:
        user = db.get(User, user_id)
        if user is None:
            raise NotFound()
        listed = accounts.tokens_of(db, current_user(), user_id)
        response = current_app.make_response((render_template(
            "users/tokens.html", user=user, tokens=listed, token=token, errors=errors or {},
            token_days=intake().settings.token_days), status))
    response.headers["Cache-Control"] = "no-store"  # a new token is shown once
    return response


@bp.get("/<int:user_id>/tokens")
def tokens(user_id: int):
    """A user's API tokens, with their expiry and last use."""
    return _tokens_page(user_id)


@bp.post("/<int:user_id>/tokens")
def create_token(user_id: int):
    """Create a named API token for a user, shown once."""
    cmd = accounts.CreateToken(current_user(), user_id, request.form.get("name", ""),
                               timedelta(days=intake().settings.token_days))
    try:
        with intake().uow() as uow:
            _row, token = accounts.create_token(cmd, uow, current_app.config["SECRET_KEY"])
    except InvalidInput as invalid:
        return _tokens_page(user_id, errors={
            "name": [TOKEN_MESSAGES[code] for code in invalid.errors["name"]]}, status=422)
    return _tokens_page(user_id, token=token)


@bp.post("/<int:user_id>/tokens/<int:token_id>/revoke")
def revoke_token(user_id: int, token_id: int):
    """Revoke one of a user's API tokens, at once, on both services."""
    with intake().uow() as uow:
        accounts.revoke_token(accounts.RevokeToken(current_user(), token_id), uow)
    flash(_("The API token was revoked."))
    return redirect(url_for("users_admin.tokens", user_id=user_id))


@bp.get("/log")
def log():
    """The administration log: who did what to which account, and when."""
    with intake().sessions() as db:
        return render_template("users/log.html", entries=admin.log(db, current_user()),
                               actions=ACTIONS)


@bp.get("/log.xlsx")
def log_export():
    """The administration log as a spreadsheet."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Log")
    sheet.append([_("When"), _("Administrator"), _("Action"), _("Username"), _("Details")])
    with intake().sessions() as db:
        for entry in admin.log(db, current_user(), limit=200_000):
            sheet.append(spreadsheets.row(sheet, [
                entry.at.astimezone(VIETNAM).replace(tzinfo=None), entry.actor_name,
                str(ACTIONS.get(entry.action, entry.action)), entry.username,
                str(entry.details or "")]))
    out = io.BytesIO()
    book.save(out)
    return current_app.response_class(
        out.getvalue(), headers={"Content-Disposition": 'attachment; filename="admin-log.xlsx"'},
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
