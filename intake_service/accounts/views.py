"""The user's own account: change the password, issue an API token, sign out everywhere."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from intake_service.accounts import services as accounts
from intake_service.accounts.tables import User
from intake_service.directory.catalog import ROLE_LABELS
from intake_service.web import intake
from shared import tokens
from shared.errors import InvalidInput, NotFound
from shared.web.auth import current_user, login_required

bp = Blueprint("account", __name__, url_prefix="/account")

PASSWORD_MESSAGES = {
    "wrong_password": _l("The current password is not correct."),
    "too_short": _l("The new password needs at least %(min)s characters.", min=accounts.MIN_PASSWORD),
    "too_long": _l("The new password can have at most %(max)s characters.",
                   max=accounts.MAX_PASSWORD),
    "mismatch": _l("The two new passwords are not the same."),
}


@bp.before_request
@login_required
def signed_in_only():
    """Every account page is the signed-in user's own."""


def _page(errors: dict | None = None, token: str | None = None, status: int = 200):
    with intake().sessions() as db:
        user = db.get(User, current_user().id)
        if user is None:
            raise NotFound()
        response = current_app.make_response((render_template(
            "account/index.html", user=user, role=ROLE_LABELS.get(user.role, user.role),
            errors=errors or {}, token=token, min_password=accounts.MIN_PASSWORD), status))
    response.headers["Cache-Control"] = "no-store"  # a token is shown once; no copy is kept
    return response


@bp.get("")
def index():
    """Show the account: password change, API token, sign out everywhere."""
    return _page()


@bp.post("/password")
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
    session["user"] = identity.to_session()  # this browser stays signed in, in the new epoch
    flash(_("Password changed. You were signed out on every other device and API tokens "
            "stopped working."))
    return redirect(url_for("account.index"))


@bp.post("/token")
def issue_token():
    """Issue an API token for the user and show it once."""
    with intake().sessions() as db:
        user = db.get(User, current_user().id)
        if user is None:
            raise NotFound()
        token = tokens.issue(current_app.config["SECRET_KEY"], accounts.identity_of(user))
    return _page(token=token)


@bp.post("/sign-out-everywhere")
def sign_out_everywhere():
    """End every session and API token of the user, on both services, this one included."""
    with intake().uow() as uow:
        accounts.sign_out_everywhere(accounts.SignOutEverywhere(current_user(), current_user().id),
                                     uow)
    session.clear()
    flash(_("You are signed out on every device. Sign in again to continue."))
    return redirect(url_for("auth.login"))
