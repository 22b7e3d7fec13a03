"""Sign in and out. The signed session written here is honoured by the review service too."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from intake_service.accounts import throttling
from intake_service.accounts.services import authenticate, must_change_password
from intake_service.web import intake
from shared.web.auth import MUST_CHANGE, start_session
from shared.web.redirects import safe_target

bp = Blueprint("auth", __name__)
# What a user who must choose a new password may still reach on intake (shared.web.auth).
WHILE_CHANGING = {"account.index", "account.change_password", "auth.logout", "auth.login"}


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to one of our two services, never elsewhere."""
    ours = (current_app.config["INTAKE_URL"], current_app.config["REVIEW_URL"], request.host_url)
    # units land on their submissions, other roles on their dashboard
    return safe_target(target, ours) or url_for("home")


@bp.route("/login", methods=["GET", "POST"])
@throttling.sign_in[0]
@throttling.sign_in[1]
def login():
    """Show the sign-in form and sign the user in."""
    if request.method == "POST":
        username = request.form.get("username", "")
        with intake().sessions() as db:
            identity = authenticate(db, username, request.form.get("password", ""))
            must_change = identity is not None and must_change_password(db, identity.id)
        if identity:
            session.clear()
            start_session(identity)
            if must_change:  # signed in with a one-time code: a new password comes first
                session[MUST_CHANGE] = True
                return redirect(url_for("account.index"))
            return redirect(_safe_next(request.args.get("next")))
        return render_template("auth/login.html",
                               error=_("The username or password is not correct.")), 401
    return render_template("auth/login.html", error=None)


@bp.post("/logout")
def logout():
    """Sign out."""
    session.clear()
    return redirect(url_for("auth.login"))
