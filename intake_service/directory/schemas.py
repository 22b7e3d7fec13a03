"""One marshmallow schema per kind of import row; messages in the reader's language."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, fields, pre_load, validate

from intake_service.directory.catalog import LEVELS, UNIT_KINDS
from shared.identity import ROLES
from shared.text import normalise

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required."),
            "invalid": _l("Please enter text.")}
CODE = validate.Regexp(re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$"),
                       error=_l("Use 1 to 80 lowercase letters without accents, digits, '-', '.' or '_'."))
NAME = validate.Length(min=1, max=200, error=_l("The name must be between 1 and 200 characters."))


class FlexibleDate(fields.Field):
    """A date typed the Vietnamese way (30/6/2025), as ISO (2025-06-30), or a spreadsheet date."""

    default_error_messages = {"invalid": _l("Write the date as day/month/year, e.g. 30/6/2025.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise self.make_error("invalid")


UNTOUCHED = {"password"}  # typed exactly as given: composing or trimming would change it


class _Row(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def tidy(self, data, **_kwargs):
        """Compose text to NFC; an empty cell means the value is absent."""
        tidy = {}
        for key, value in data.items():
            if isinstance(value, str) and key not in UNTOUCHED:
                value = normalise(value)
            if isinstance(value, float) and value.is_integer():
                value = str(int(value))  # a spreadsheet turns a numeric code into 12.0
            elif isinstance(value, int | float):
                value = str(value)
            tidy[key] = None if value in ("", None) else value
        return tidy


class OrgUnitRow(_Row):
    code = fields.String(required=True, validate=CODE, error_messages=REQUIRED)
    name = fields.String(required=True, validate=NAME, error_messages=REQUIRED)
    level = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        list(LEVELS), error=_l("Choose province, district, commune, township or village.")))
    parent = fields.String(load_default=None, allow_none=True, validate=CODE)
    valid_from = FlexibleDate(required=True, error_messages=REQUIRED)
    valid_to = FlexibleDate(load_default=None, allow_none=True)
    successor = fields.String(load_default=None, allow_none=True, validate=CODE)


class UnitRow(_Row):
    code = fields.String(required=True, validate=CODE, error_messages=REQUIRED)
    name = fields.String(required=True, validate=NAME, error_messages=REQUIRED)
    kind = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        list(UNIT_KINDS), error=_l("Choose a kind of unit from the list.")))
    org_code = fields.String(required=True, validate=CODE, error_messages=REQUIRED)


class UserRow(_Row):
    username = fields.String(required=True, error_messages=REQUIRED, validate=validate.Regexp(
        re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$"),
        error=_l("Use 3 to 80 lowercase letters without accents, digits, '-', '.' or '_'.")))
    name = fields.String(required=True, validate=NAME, error_messages=REQUIRED)
    role = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        list(ROLES), error=_l("Choose a role from the list.")))
    scope = fields.String(required=True, validate=CODE, error_messages=REQUIRED)
    password = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(
        min=8, max=200, error=_l("The initial password must be between 8 and 200 characters.")))
    email = fields.String(load_default=None, allow_none=True, validate=[
        validate.Length(max=254, error=_l("An email address can have at most 254 characters.")),
        validate.Email(error=_l("Write a valid email address, e.g. hoa@example.vn."))])


ROW_SCHEMAS: dict[str, type[Schema]] = {"org_units": OrgUnitRow, "units": UnitRow, "users": UserRow}
COLUMNS = {kind: tuple(schema().fields) for kind, schema in ROW_SCHEMAS.items()}
