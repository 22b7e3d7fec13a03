"""One table from domain errors to HTTP status and a translated message.

A database that cannot be reached (restarting, failing over, its pool exhausted) is nobody's
mistake: the request answers 503 with ``Retry-After`` and a page asking to try again shortly,
never a 500.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from shared.delivery import is_infrastructure
from shared.errors import InvalidTransition, NotFound, NotPermitted, StaleDecision

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5  # a PostgreSQL restart takes a few seconds

DOMAIN_ERRORS = {
    NotFound: (404, _l("We could not find what you asked for, or you may not see it.")),
    NotPermitted: (403, _l("Your role or area does not allow this action.")),
    InvalidTransition: (409, _l("This action does not apply to the item in its current state.")),
    StaleDecision: (
        409,
        _l("Someone else has already decided this item. Reload to see its current state."),
    ),
}
HTTP_MESSAGES = {
    400: _l("The request was not understood."),
    403: _l("Your role or area does not allow this action."),
    404: _l("We could not find what you asked for, or you may not see it."),
    405: _l("This action is not available here."),
    413: _l("What you sent is too large."),
    429: _l("Too many attempts. Please wait a minute and try again."),
    500: _l("Something went wrong on our side. What you entered was not lost; please try again."),
    503: _l("The service is briefly unavailable. Please try again in a few seconds."),
}


def error_response(status: int, message, headers: dict | None = None):
    if request.path.startswith("/api/"):
        return {"error": str(message)}, status, headers or {}
    return render_template("error.html", status=status, message=message), status, headers or {}


def register(app: Flask) -> None:
    for exception, (status, message) in DOMAIN_ERRORS.items():
        app.register_error_handler(
            exception, lambda _e, status=status, message=message: error_response(status, message)
        )
    app.register_error_handler(
        CSRFError,
        lambda _e: error_response(
            400, _l("The form expired. Go back, reload the page and send it again.")
        ),
    )
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(SQLAlchemyError, _database_error)


def _http_error(error: HTTPException):
    status = error.code or 500
    return error_response(status, HTTP_MESSAGES.get(status, error.description))


def _database_error(error: SQLAlchemyError):
    """503 with a retry hint when the database is away; any other database error is a 500."""
    if not is_infrastructure(error):
        current_app.log_exception((type(error), error, error.__traceback__))
        return error_response(500, HTTP_MESSAGES[500])
    log.warning("database unavailable during %s %s: %r", request.method, request.path, error)
    g.setdefault("identity", None)  # the page's header must not ask the database who is signed in
    return error_response(503, HTTP_MESSAGES[503], {"Retry-After": str(RETRY_AFTER_SECONDS)})
