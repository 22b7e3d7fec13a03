"""Sign-in checks shared by both services, reading the identity from the signed session."""

from __future__ import annotations

from functools import wraps

from flask import current_app, g, redirect, request, session
from flask_babel import gettext as _

from shared.errors import NotPermitted
from shared.identity import Identity


def current_user() -> Identity | None:
    if "identity" not in g:
        g.identity = getattr(g, "api_identity", None) or Identity.from_session(session.get("user"))
    return g.identity


def sign_in_url() -> str:
    base = current_app.config["INTAKE_URL"]
    return f"{base}/login?next={request.url}"


def login_required(view):
    """Send anonymous visitors to the sign-in page (or answer 401 to API calls)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            if request.path.startswith("/api/"):
                return {"error": _("Please sign in first.")}, 401
            return redirect(sign_in_url())
        return view(*args, **kwargs)

    return wrapped


def require_role(*roles: str) -> Identity:
    user = current_user()
    if user is None or (user.role not in roles and user.role != "admin"):
        raise NotPermitted()
    return user
