"""Sign in and out. The signed session written here is honoured by the review service too."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from intake_service.accounts.services import TooManyAttempts, authenticate
from intake_service.web import intake
from shared.web.redirects import safe_target

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to one of our two services, never elsewhere."""
    ours = (current_app.config["INTAKE_URL"], current_app.config["REVIEW_URL"], request.host_url)
    # units land on their submissions, other roles on their dashboard
    return safe_target(target, ours) or url_for("home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in."""
    error, status = None, 200
    if request.method == "POST":
        username = request.form.get("username", "")
        with intake().sessions() as db:
            try:
                identity = authenticate(db, username, request.form.get("password", ""))
            except TooManyAttempts:
                identity, error, status = None, _(
                    "Too many failed attempts. Please wait five minutes and try again."), 429
        if identity:
            session.clear()
            session["user"] = identity.to_session()
            return redirect(_safe_next(request.args.get("next")))
        error = error or _("The username or password is not correct.")
        status = status if status != 200 else 401
    return render_template("auth/login.html", error=error), status


@bp.post("/logout")
def logout():
    """Sign out."""
    session.clear()
    return redirect(url_for("auth.login"))
