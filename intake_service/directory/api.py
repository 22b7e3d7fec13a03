"""The directory's JSON API: the org tree on a date, units, people (by area), and the import.

Who sees what: the org tree and the units are the movement's public structure,
readable by every signed-in user (forms and reports need their names). People
are personal data: an administrator sees everyone; anyone else sees only the
people of units in their own area — their scope, everything below it, and the
units merged into it (``services.people_visible_to``). Only an administrator
imports; the import is the pages' own handler, all or nothing.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields

from intake_service.directory import services
from intake_service.directory.domain import Directory, OrgUnitState
from intake_service.directory.importer import BadFile, ImportRejected, read_table
from intake_service.directory.schemas import FlexibleDate
from intake_service.directory.views import KINDS
from intake_service.web import intake
from shared.errors import InvalidInput
from shared.identity import Role
from shared.web.api import api_blueprint
from shared.web.auth import current_user, require_role
from shared.web.openapi import Operation, listing

bp = api_blueprint("directory_api", __name__)


class TreeQuery(Schema):
    on = FlexibleDate(load_default=None)


class OrgUnitSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()
    parent_code = fields.String(allow_none=True)
    valid_from = fields.Date()
    valid_to = fields.Date(allow_none=True, metadata={"description": "Its last day, inclusive."})
    successor_code = fields.String(allow_none=True,
                                   metadata={"description": "The unit that took over its area."})
    formed_from = fields.List(fields.String(), metadata={
        "description": "Codes of the units whose successor this unit is."})


class TreeSchema(Schema):
    on = fields.Date(allow_none=True)
    items = fields.List(fields.Nested(OrgUnitSchema), metadata={
        "description": "Depth first from the top; each unit names its parent."})


class UnitSchema(Schema):
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    org_code = fields.String()


class PersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    position = fields.String(allow_none=True)
    unit_code = fields.String(attribute="unit.code")
    unit_name = fields.String(attribute="unit.name")
    org_code = fields.String(attribute="unit.org_code")


class ImportUpload(Schema):
    kind = fields.String(required=True, metadata={"enum": list(KINDS)})
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": "CSV (UTF-8) or XLSX, at most 1 MB."})


class ImportReportSchema(Schema):
    kind = fields.String()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    codes = fields.List(fields.String())


@bp.get("/directory/org-units")
def org_tree():
    """The org tree; with ``?on=YYYY-MM-DD`` only the units that existed that day."""
    try:
        on = TreeQuery().load({"on": request.args["on"]} if request.args.get("on") else {})["on"]
    except ValidationError as error:
        messages = error.messages["on"]  # a lazy message arrives bare, not in a list
        raise InvalidInput({"on": [str(m) for m in messages] if isinstance(messages, list)
                            else [str(messages)]}) from error
    with intake().sessions() as db:
        tree = services.directory(db)
    units = [unit for unit in _depth_first(tree) if on is None or unit.active_on(on)]
    formed_from: dict[str, list[str]] = {}
    for unit in tree.units.values():
        if unit.successor_code:
            formed_from.setdefault(unit.successor_code, []).append(unit.code)
    items = [vars(unit) | {"formed_from": sorted(formed_from.get(unit.code, []))} for unit in units]
    return TreeSchema().dump({"on": on, "items": items})


def _depth_first(tree: Directory) -> list[OrgUnitState]:
    ordered: list[OrgUnitState] = []
    waiting = list(reversed(tree.roots()))
    while waiting:
        unit = waiting.pop()
        ordered.append(unit)
        waiting += reversed(tree.children(unit.code))
    return ordered


@bp.get("/directory/units")
def list_units():
    """The units (collective bodies), by org unit."""
    with intake().sessions() as db:
        return {"items": UnitSchema(many=True).dump(services.units(db))}


@bp.get("/directory/people")
def list_people():
    """The people the caller may see: everyone for an administrator, else those of their area."""
    with intake().sessions() as db:
        people = services.people_visible_to(db, current_user())
        return {"items": PersonSchema(many=True).dump(people)}


@bp.post("/directory/import")
def run_import():
    """Administrators: import a CSV or XLSX file (multipart ``kind`` and ``file``); all rows or none.

    A rejected file answers 422 with a message per bad cell in ``fields``, keyed
    ``<row>.<column>`` by spreadsheet row (the header is row 1).
    """
    require_role(Role.ADMIN)
    if request.mimetype != "multipart/form-data":
        raise InvalidInput({"_schema": [_("Send the file as multipart/form-data, with the fields "
                                          "kind and file.")]})
    kind, upload = request.form.get("kind", ""), request.files.get("file")
    if kind not in KINDS:
        raise InvalidInput({"kind": [_("Choose what the file holds: %(kinds)s.",
                                       kinds=", ".join(KINDS))]})
    if upload is None or not upload.filename:
        raise InvalidInput({"file": [_("Choose a file to upload.")]})
    try:
        table = read_table(upload.filename, upload.read())
        with intake().uow() as uow:
            report = services.import_rows(services.ImportDirectory(kind, table), uow)
    except BadFile as bad:
        raise InvalidInput({"file": [str(bad.message)]}) from bad
    except ImportRejected as rejected:
        return {"error": _("Nothing was imported: %(count)s problems in the file.",
                           count=len(rejected.errors)),
                "fields": _row_errors(rejected)}, 422
    return ImportReportSchema().dump(report)


def _row_errors(rejected: ImportRejected) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in rejected.errors:
        key = f"{error.row}.{error.column}" if error.column else str(error.row)
        found.setdefault(key, []).append(str(error.message))
    return found


# What the OpenAPI document says about each view beyond its URL and docstring.
OPERATIONS = {
    org_tree: Operation(response=TreeSchema, errors=(422,), query={"on": "string"}),
    list_units: Operation(response=listing(UnitSchema)),
    list_people: Operation(response=listing(PersonSchema)),
    run_import: Operation(request=ImportUpload, request_type="multipart/form-data",
                          response=ImportReportSchema, errors=(403, 422)),
}
