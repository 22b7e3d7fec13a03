"""Sign-in checks shared by both services, reading the identity from the signed session.

Each service tells this module the users' current sign-out epochs through
``app.extensions["session_epochs"]`` (a function of a user id; intake reads its
users table, review its copy kept from events), so a session or token issued
before the user signed out everywhere counts as no sign-in at all.

A session also ends on its own: after ``SESSION_IDLE`` without a request, and ``SESSION_MAX``
after sign-in however busy (``app.config``, from ``DVK_SESSION_IDLE_MINUTES`` and
``DVK_SESSION_MAX_HOURS``), so a commune's shared computer does not stay signed in.
"""

from __future__ import annotations

import time
from datetime import timedelta
from functools import wraps

from flask import current_app, flash, g, redirect, request, session
from flask_babel import gettext as _

from shared.errors import NotPermitted
from shared.identity import Identity, has_role, still_valid

EPOCHS = "session_epochs"
IDLE, MAX = "SESSION_IDLE", "SESSION_MAX"  # app.config keys: timedeltas
SEEN_EVERY = 60  # seconds: the last-seen time in the cookie is rewritten at most this often


def start_session(identity: Identity) -> None:
    """Sign ``identity`` in on this browser from now (a new session's clock starts)."""
    now = int(time.time())
    session["user"] = identity.to_session()
    session["signed_in_at"] = session["seen_at"] = now


def _fresh() -> bool:
    """Whether the session is within its idle and absolute lifetimes; notes this request."""
    now, signed_in, seen = int(time.time()), session.get("signed_in_at"), session.get("seen_at")
    if not isinstance(signed_in, int) or not isinstance(seen, int):
        return False  # a session from before lifetimes existed
    idle = current_app.config.get(IDLE, timedelta(minutes=30)).total_seconds()
    longest = current_app.config.get(MAX, timedelta(hours=8)).total_seconds()
    if now - seen > idle or now - signed_in > longest:
        return False
    if now - seen >= SEEN_EVERY:
        session["seen_at"] = now
    return True


def current_user() -> Identity | None:
    if "identity" not in g:
        identity = getattr(g, "api_identity", None)
        if identity is None:
            identity = Identity.from_session(session.get("user"))
            if identity is not None and not (_fresh() and honoured(identity)):
                session.clear()  # expired, or signed out everywhere since: drop the stale cookie
                identity = None
        g.identity = identity
    return g.identity


def honoured(identity: Identity) -> bool:
    """Whether this service still accepts the identity's session or token (see ``EPOCHS``)."""
    epoch_of = current_app.extensions.get(EPOCHS)
    return epoch_of is None or still_valid(identity, epoch_of(identity.id))


MUST_CHANGE = "must_change_password"  # in the session: signed in with a one-time code
# What someone who must first choose a new password may still reach, on either service.
ALWAYS_OPEN = {"static", "shared_web.static", "shared_web.switch_language", "healthz",
               "ops.readyz", "ops.metrics", "openapi.document"}


def new_password_first(app, still_open: set[str]) -> None:
    """After a password reset, every page but ``still_open`` (and assets) waits until the user
    has chosen a new password on intake's account page."""

    @app.before_request
    def wait_for_new_password():
        if not session.get(MUST_CHANGE) or request.endpoint in ALWAYS_OPEN | still_open:
            return None
        if request.path.startswith("/api/"):
            return {"error": _("Choose a new password on your account page first.")}, 403
        flash(_("Your password was reset. Choose a new password to continue."))
        return redirect(f"{current_app.config['INTAKE_URL']}/account")


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
    if user is None or not has_role(user, roles):
        raise NotPermitted()
    return user
