"""Validation at the edges: the same marshmallow schemas serve the HTML forms and the JSON API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from shared.catalog import FIELDS, SUBJECT_TYPES
from shared.directory import COMMUNES
from shared.errors import InvalidInput
from shared.text import normalise

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required.")}
TEXT = {**REQUIRED, "invalid": _l("Please enter text.")}


class RegistrationSchema(Schema):
    """A model registration as a unit fills it in."""

    class Meta:
        unknown = EXCLUDE

    title = fields.String(
        required=True,
        error_messages=TEXT,
        validate=validate.Length(
            min=5, max=200, error=_l("The name must be between 5 and 200 characters.")
        ),
    )
    field = fields.String(
        required=True,
        error_messages=TEXT,
        validate=validate.OneOf(list(FIELDS), error=_l("Choose one of the listed fields.")),
    )
    subject_type = fields.String(
        required=True,
        error_messages=TEXT,
        validate=validate.OneOf(
            list(SUBJECT_TYPES), error=_l("Choose collective or individual.")
        ),
    )
    commune_code = fields.String(
        required=True,
        error_messages=TEXT,
        validate=validate.OneOf(list(COMMUNES), error=_l("Choose a commune from the list.")),
    )

    @pre_load
    def normalise_text(self, data, **_kwargs):
        if not isinstance(data, dict):
            raise ValidationError(_l("Send the fields as an object."), "_schema")
        return {
            key: normalise(value) if isinstance(value, str) else value
            for key, value in data.items()
        }


def load_registration(data, partial: bool = False) -> dict:
    """Validate a registration; raise ``InvalidInput`` with a message per bad field."""
    try:
        return RegistrationSchema().load(data, partial=partial)
    except ValidationError as error:
        raise InvalidInput({key: [str(m) for m in _flat(msgs)] for key, msgs in
                            error.normalized_messages().items()}) from error


def _flat(messages):
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    return messages if isinstance(messages, list) else [messages]


class HistorySchema(Schema):
    at = fields.DateTime()
    actor = fields.String(attribute="actor_name")
    from_status = fields.String()
    to_status = fields.String()
    stage = fields.String()
    comment = fields.String()


class SubmissionSchema(Schema):
    """A submission as the API shows it: where it is, and how it got there."""

    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    field = fields.String()
    subject_type = fields.String()
    commune_code = fields.String()
    status = fields.String()
    stage = fields.String()
    last_comment = fields.String()
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    history = fields.List(fields.Nested(HistorySchema))
