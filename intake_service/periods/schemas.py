"""Validation of the period form at the edge: specific messages, one per broken rule."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates, validates_schema

from intake_service.periods.domain import DUE_ITEMS, MAX_YEAR, MIN_YEAR, period_problems
from shared.errors import InvalidInput

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required.")}


class LocalDate(fields.Field):
    """A day typed as 2024-06-10 (a date picker) or 10/6/2024 (the Vietnamese way)."""

    default_error_messages = {"invalid": _l("Enter a date as day/month/year, e.g. 10/6/2024.")}

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        text = str(value).strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise self.make_error("invalid")


class PeriodSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.String(required=True, error_messages=REQUIRED)
    year = fields.Integer(required=True, strict=False, error_messages={
        **REQUIRED, "invalid": _l("Enter the year as a number, e.g. 2024.")},
        validate=validate.Range(MIN_YEAR, MAX_YEAR, error=_l(
            "Enter a year between %(min)s and %(max)s.", min=MIN_YEAR, max=MAX_YEAR)))
    due_items = fields.List(fields.String(validate=validate.OneOf(list(DUE_ITEMS))),
                            required=True, error_messages={
                                **REQUIRED, "required": _l("Choose at least one thing that is due.")})
    opens_on = LocalDate(required=True, error_messages=REQUIRED)
    deadline = LocalDate(required=True, error_messages=REQUIRED)

    def __init__(self, kinds: tuple[str, ...], **kwargs):
        super().__init__(**kwargs)
        self.kinds = kinds

    @validates("kind")
    def _known_kind(self, value: str, **_kwargs) -> None:
        if value not in self.kinds:
            raise ValidationError(_l("Choose one of the listed kinds of period."))

    @validates("due_items")
    def _something_due(self, value: list[str], **_kwargs) -> None:
        if not value:
            raise ValidationError(_l("Choose at least one thing that is due."))

    @validates_schema
    def _dates_in_order(self, data: dict, **_kwargs) -> None:
        if "opens_on" in data and "deadline" in data and period_problems(data["opens_on"],
                                                                         data["deadline"]):
            raise ValidationError(_l("The deadline cannot be before the opening day."), "deadline")


def load_period(form: dict, kinds: tuple[str, ...]) -> dict:
    """Validate a period; raise ``InvalidInput`` with a message per bad field."""
    data = {key: value for key, value in form.items() if value not in ("", None, [])}
    try:
        return PeriodSchema(kinds).load(data)
    except ValidationError as error:
        raise InvalidInput({key: _flat(messages) for key, messages in
                            error.normalized_messages().items()}) from error


def _flat(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    return [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]
