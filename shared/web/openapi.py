"""The OpenAPI 3 document of a service's JSON API, generated from its URL map and marshmallow schemas.

The URL map gives each endpoint's path, method and path parameters, and its view's docstring gives
the summary. What the map cannot say — bodies, success status, possible errors — comes from a small
table of ``Operation``s, keyed by view function, that each service keeps next to its views. An
``/api/`` route missing from that table is left out of the document, which the tests catch.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, resolver
from apispec.ext.marshmallow.common import resolve_schema_instance
from flask import Flask
from marshmallow import Schema, fields
from werkzeug.routing import Rule

SchemaLike = type[Schema] | Schema | dict[str, Any]

BEARER = "bearerAuth"
ERRORS = {
    401: "No valid bearer token; or, to read, no signed-in browser session.",
    403: "The caller's role or area does not allow this action.",
    404: "Not found, or not visible to the caller.",
    409: "The action does not apply in the current state, or someone else decided first.",
    413: "The upload is larger than the service accepts.",
    422: "Some fields are not valid; `fields` lists the messages for each.",
}
_PATH_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_JSON_TYPES = {"int": "integer", "float": "number"}


class ErrorSchema(Schema):
    """The body of every API error."""

    error = fields.String(required=True)
    field_messages = fields.Dict(data_key="fields", keys=fields.String(), values=fields.List(fields.String()))


@dataclass(frozen=True)
class Operation:
    """What the URL map cannot tell about one endpoint: its bodies, success status and errors."""

    request: SchemaLike | None = None
    response: SchemaLike | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    query: Mapping[str, str] = field(default_factory=dict)  # parameter name -> JSON type
    public: bool = False
    request_type: str = "application/json"  # an upload is "multipart/form-data"


def listing(schema: SchemaLike) -> dict[str, Any]:
    """The ``{"items": [...]}`` envelope the list endpoints answer with."""
    return {"type": "object", "properties": {"items": {"type": "array", "items": schema}}}


def build_document(app: Flask, title: str, version: str,
                   operations: Mapping[Callable, Operation]) -> dict[str, Any]:
    """Describe every documented ``/api/`` route of ``app`` as an OpenAPI 3 document."""
    spec = APISpec(title=title, version=version, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin(schema_name_resolver=_component_name)],
                   security=[{BEARER: []}])
    _add_components(spec)
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        view = app.view_functions[rule.endpoint]
        if rule.rule.startswith("/api/") and view in operations:
            spec.path(path=openapi_path(rule.rule), operations=_operations(rule, view, operations[view]))
    return spec.to_dict()


def openapi_path(rule: str) -> str:
    """Write a Flask rule as an OpenAPI path: ``/items/<int:item_id>`` becomes ``/items/{item_id}``."""
    return _PATH_ARGUMENT.sub(r"{\2}", rule)


def _component_name(schema) -> str | None:
    """Name a component after its schema class; a narrowed one (``only``/``exclude``) is inlined."""
    instance = resolve_schema_instance(schema)
    return None if instance.only or instance.exclude else resolver(schema)


def _add_components(spec: APISpec) -> None:
    spec.components.security_scheme(BEARER, {
        "type": "http", "scheme": "bearer",
        "description": "A token from the account page (`/account`) or from "
                       "`python -m intake_service.manage token <username>`. "
                       "A signed-in browser session may also read (GET).",
    })
    spec.components.schema("Error", schema=ErrorSchema)
    for status, description in ERRORS.items():
        spec.components.response(_error_name(status), {
            "description": description,
            "content": {"application/json": {"schema": ErrorSchema}},
        })


def _error_name(status: int) -> str:
    return HTTPStatus(status).phrase.replace(" ", "")


def _path_parameters(rule: str) -> list[dict[str, Any]]:
    return [{"in": "path", "name": name, "required": True,
             "schema": {"type": _JSON_TYPES.get(converter, "string")}}
            for converter, name in _PATH_ARGUMENT.findall(rule)]


def _operations(rule: Rule, view: Callable, operation: Operation) -> dict[str, Any]:
    methods = sorted(method.lower() for method in rule.methods - {"HEAD", "OPTIONS"})
    parameters = _path_parameters(rule.rule)
    # An operationId must be unique: a rule serving several methods gets one per method.
    return {method: _operation(view, operation, parameters,
                               rule.endpoint if len(methods) == 1 else f"{rule.endpoint}.{method}")
            for method in methods}


def _operation(view: Callable, operation: Operation, path_parameters: list[dict[str, Any]],
               operation_id: str) -> dict[str, Any]:
    query = [{"in": "query", "name": name, "schema": {"type": json_type}}
             for name, json_type in operation.query.items()]
    described: dict[str, Any] = {
        "operationId": operation_id,
        "summary": (inspect.getdoc(view) or operation_id).splitlines()[0],
        "responses": _responses(operation),
    }
    if path_parameters or query:
        described["parameters"] = path_parameters + query
    if operation.request is not None:
        described["requestBody"] = {"required": True,
                                    "content": _json(operation.request, operation.request_type)}
    if operation.public:
        described["security"] = []
    return described


def _responses(operation: Operation) -> dict[str, Any]:
    success: dict[str, Any] = {"description": HTTPStatus(operation.status).phrase}
    if operation.response is not None:
        success["content"] = _json(operation.response)
    errors = operation.errors if operation.public else (401, *operation.errors)
    return {str(operation.status): success} | {str(status): _error_name(status) for status in errors}


def _json(schema: SchemaLike, media_type: str = "application/json") -> dict[str, Any]:
    # apispec resolves schema dicts in place; the operation tables are shared by every app.
    return {media_type: {"schema": copy.deepcopy(schema) if isinstance(schema, dict) else schema}}
