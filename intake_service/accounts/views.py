"""The user's own account: change the password, create and revoke API tokens, sign out everywhere."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from intake_service.accounts import services as accounts
from intake_service.accounts import throttling
from intake_service.accounts.tables import User
from intake_service.directory.catalog import ROLE_LABELS
from intake_service.web import intake
from shared.errors import InvalidInput, NotFound
from shared.web.auth import MUST_CHANGE, current_user, login_required, start_session

bp = Blueprint("account", __name__, url_prefix="/account")

PASSWORD_MESSAGES = {
    "wrong_password": _l("The current password is not correct."),
    "too_short": _l("The new password needs at least %(min)s characters.", min=accounts.MIN_PASSWORD),
    "too_long": _l("The new password can have at most %(max)s characters.",
                   max=accounts.MAX_PASSWORD),
    "mismatch": _l("The two new passwords are not the same."),
    "too_common": _l("This password is among the first ones anybody would try. Choose another."),
}
TOKEN_MESSAGES = {"required": _l("Give the token a name, e.g. the program that will use it."),
                  "too_long": _l("A token's name can have at most 100 characters.")}


@bp.before_request
@login_required
def signed_in_only():
    """Every account page is the signed-in user's own."""


def _page(errors: dict | None = None, token: str | None = None, status: int = 200):
    with intake().sessions() as db:
        user = db.get(User, current_user().id)
        if user is None:
            raise NotFound()
        listed = accounts.tokens_of(db, current_user(), user.id)
        response = current_app.make_response((render_template(
            "account/index.html", user=user, role=ROLE_LABELS.get(user.role, user.role),
            errors=errors or {}, token=token, min_password=accounts.MIN_PASSWORD,
            tokens=listed, token_days=intake().settings.token_days), status))
    response.headers["Cache-Control"] = "no-store"  # a token is shown once; no copy is kept
    return response


@bp.get("")
def index():
    """Show the account: password change, API token, sign out everywhere."""
    return _page()


@bp.post("/password")
@throttling.password_change
def change_password():
    """Change the password; every other session and API token of the user ends."""
    new = request.form.get("new", "")
    cmd = accounts.ChangePassword(current_user(), request.form.get("current", ""), new)
    try:
        if new != request.form.get("confirm", ""):
            raise InvalidInput({"confirm": ["mismatch"]})
        with intake().uow() as uow:
            identity = accounts.change_password(cmd, uow)
    except InvalidInput as invalid:
        errors = {name: [PASSWORD_MESSAGES[code] for code in codes]
                  for name, codes in invalid.errors.items()}
        return _page(errors, status=422)
    start_session(identity)  # this browser stays signed in, in the new epoch
    session.pop(MUST_CHANGE, None)
    flash(_("Password changed. You were signed out on every other device and API tokens "
            "stopped working."))
    return redirect(url_for("account.index"))


@bp.post("/token")
@throttling.token_creation
def issue_token():
    """Create a named API token for the user and show it once."""
    lifetime = timedelta(days=intake().settings.token_days)
    cmd = accounts.CreateToken(current_user(), current_user().id,
                               request.form.get("name", ""), lifetime)
    try:
        with intake().uow() as uow:
            _row, token = accounts.create_token(cmd, uow, current_app.config["SECRET_KEY"])
    except InvalidInput as invalid:
        return _page({"name": [TOKEN_MESSAGES[code] for code in invalid.errors["name"]]},
                     status=422)
    return _page(token=token)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """Revoke one of the user's API tokens, at once, on both services."""
    with intake().uow() as uow:
        accounts.revoke_token(accounts.RevokeToken(current_user(), token_id), uow)
    flash(_("The API token was revoked."))
    return redirect(url_for("account.index"))


@bp.post("/sign-out-everywhere")
def sign_out_everywhere():
    """End every session and API token of the user, on both services, this one included."""
    with intake().uow() as uow:
        accounts.sign_out_everywhere(accounts.SignOutEverywhere(current_user(), current_user().id),
                                     uow)
    session.clear()
    flash(_("You are signed out on every device. Sign in again to continue."))
    return redirect(url_for("auth.login"))
