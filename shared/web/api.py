"""Authentication for both JSON APIs: a signed bearer token, or a browser session for reading.

Every route of ``api_blueprint`` needs it; the one public route under ``/api``, the OpenAPI
document, lives in a blueprint of its own so that no exception is needed in ``authenticate``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _

from shared import tokens
from shared.web import openapi
from shared.web.auth import current_user


def authenticate():
    """Accept a bearer token; a browser session may only read (so no CSRF is needed here)."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.api_identity = tokens.verify(current_app.config["SECRET_KEY"],
                                       header.removeprefix("Bearer ").strip())
        if g.api_identity is None:
            return {"error": _("The API token is not valid.")}, 401
    elif request.method != "GET":
        return {"error": _("Changing data through the API needs a bearer token.")}, 401
    if current_user() is None:
        return {"error": _("Please sign in first.")}, 401
    return None


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under ``/api`` whose every route needs authentication."""
    bp = Blueprint(name, import_name, url_prefix="/api")
    bp.before_request(authenticate)
    return bp


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
