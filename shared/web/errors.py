"""One table from domain errors to HTTP status and a translated message."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from shared.errors import InvalidTransition, NotFound, NotPermitted, StaleDecision

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
}


def error_response(status: int, message):
    if request.path.startswith("/api/"):
        return {"error": str(message)}, status
    return render_template("error.html", status=status, message=message), status


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


def _http_error(error: HTTPException):
    status = error.code or 500
    return error_response(status, HTTP_MESSAGES.get(status, error.description))
