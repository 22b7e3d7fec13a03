"""Authentication for both JSON APIs: a signed bearer token, or a browser session for reading.

A token must verify (ours, not expired), its user must not have signed out everywhere since it
was issued, and the service must still honour its id: each service tells this module how
through ``app.extensions[TOKENS]``, a function of (token id, token) — intake reads its tokens
table, review the revocations it kept from intake's events.

Every route of ``api_blueprint`` needs it; the one public route under ``/api``, the OpenAPI
document, lives in a blueprint of its own so that no exception is needed in ``authenticate``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError

from shared import tokens
from shared.errors import InvalidInput
from shared.web import openapi
from shared.web.auth import current_user, honoured

TOKENS = "api_tokens"


def load_json(schema: Schema) -> dict:
    """The request's JSON body loaded by ``schema``; a bad body is ``InvalidInput`` (a 422)."""
    try:
        return schema.load(request.get_json(silent=True) or {})
    except ValidationError as error:
        raise InvalidInput(error.normalized_messages()) from error


def authenticate():
    """Accept a bearer token; a browser session may only read (so no CSRF is needed here)."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        raw = header.removeprefix("Bearer ").strip()
        grant = tokens.verify(current_app.config["SECRET_KEY"], raw)
        if grant is None:
            return {"error": _("The API token is not valid, or it has expired.")}, 401
        if not honoured(grant.identity):
            return {"error": _("This API token was revoked when its user signed out everywhere. "
                               "Ask for a new token.")}, 401
        usable = current_app.extensions.get(TOKENS)
        if usable is not None and not usable(grant.token_id, raw):
            return {"error": _("This API token was revoked. Ask for a new token.")}, 401
        g.api_identity = grant.identity
    elif request.method != "GET":
        return {"error": _("Changing data through the API needs a bearer token.")}, 401
    if current_user() is None:
        return {"error": _("Please sign in first.")}, 401
    return None


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under ``/api`` whose every route needs authentication."""
    bp = Blueprint(name, import_name, url_prefix="/api")
    bp.before_request(authenticate)
    bp.register_error_handler(InvalidInput, invalid_input)  # a blueprint may word its own
    return bp


def invalid_input(error: InvalidInput):
    return {"error": _("Some fields are not valid."), "fields": error.errors}, 422


def json_object(allowed: Iterable[str]) -> dict:
    """The request's JSON object; anything else, or a field not in ``allowed``, is a 422."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput({"_schema": [_("Send a JSON object.")]})
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise InvalidInput({name[:80]: [_("Unknown field.")] for name in unknown[:20]})
    return body


def openapi_blueprint(title: str, version: str,
                      operations: Mapping[Callable, openapi.Operation]) -> Blueprint:
    """``GET /api/openapi.json``, public: the API's description, outside the authenticated blueprint."""
    bp = Blueprint("openapi", __name__, url_prefix="/api")

    @bp.get("/openapi.json")
    def document():
        """Describe this JSON API (OpenAPI 3); no authentication needed."""
        described = {document: openapi.Operation(response={"type": "object"}, public=True), **operations}
        return openapi.build_document(current_app, title, version, described)

    return bp
