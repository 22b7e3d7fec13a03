"""Validation at the edges: the same marshmallow schemas serve the HTML forms and the JSON API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)
from sqlalchemy.orm import object_session

from intake_service.recognition import services as recognition
from intake_service.results import services as reports
from intake_service.submissions.domain import NUMBERS, SECTIONS
from shared.catalog import FIELDS, INDICATORS, SUBJECT_TYPES, Indicator
from shared.errors import InvalidInput
from shared.numbers import MAX_AMOUNT, NumberError, parse_decimal_number, parse_whole_number
from shared.text import normalise

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required.")}
TEXT = {**REQUIRED, "invalid": _l("Please enter text.")}
SECTION_MAX = 4000
MAX_LABOUR_DAYS = 10**9

FUNDING_ERRORS = {
    "format": _l("Enter the amount in digits, for example 1.139.000.000."),
    "negative": _l("Funding cannot be negative."),
    "fraction": _l("Enter the funding in whole dong, with no fraction of a dong."),
    "too_large": _l("This amount is too large; check the number of zeros."),
}
LABOUR_ERRORS = {
    "format": _l("Enter the labour days in digits, for example 8.524."),
    "negative": _l("Labour days cannot be negative."),
    "fraction": _l("Enter whole labour days, with no fraction."),
    "too_large": _l("This number of labour days is too large; check the number of zeros."),
}
PERSON_NEEDED = _l("An individual model needs the full name of the person.")


class WholeNumber(fields.Integer):
    """A non-negative integer typed the Vietnamese way ("1.139.000.000") or sent as a number."""

    def __init__(self, maximum: int, errors: dict, **kwargs):
        super().__init__(allow_none=True, load_default=None, **kwargs)
        self.maximum, self.number_errors = maximum, errors

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_whole_number(value, self.maximum)
        except NumberError as error:
            raise ValidationError(self.number_errors[error.reason]) from None


def _optional_text(max_chars: int, message) -> fields.String:
    return fields.String(allow_none=True, load_default=None, error_messages=TEXT,
                         validate=validate.Length(max=max_chars, error=message))


def _section() -> fields.String:
    return _optional_text(SECTION_MAX, _l("Keep this section to at most 4,000 characters."))


def _paragraphs(text: str) -> str:
    """Compose to NFC and tidy each line, keeping the line breaks a section is written with."""
    return "\n".join(normalise(line) for line in text.strip().splitlines())


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
        # Which communes exist is the directory's to say: the handler checks it there.
        validate=validate.Length(min=1, max=80, error=_l("Choose a commune from the list.")),
    )
    unit_name = _optional_text(200, _l("The unit name must be at most 200 characters."))
    person_name = _optional_text(200, _l("The person's name must be at most 200 characters."))
    villages = _optional_text(1000, _l("Keep the villages to at most 1,000 characters."))
    situation = _section()
    objectives = _section()
    activities = _section()
    beneficiaries = _section()
    forces = _section()
    timeline = _section()
    expected_outputs = _section()
    sustainability = _section()
    funding_vnd = WholeNumber(MAX_AMOUNT, FUNDING_ERRORS)
    labour_days = WholeNumber(MAX_LABOUR_DAYS, LABOUR_ERRORS)

    @pre_load
    def normalise_text(self, data, **_kwargs):
        if not isinstance(data, dict):
            raise ValidationError(_l("Send the fields as an object."), "_schema")
        return {key: self._clean(key, value) for key, value in data.items()}

    @staticmethod
    def _clean(key: str, value):
        if not isinstance(value, str):
            return value
        text = _paragraphs(value) if key in SECTIONS else normalise(value)
        optional = key in SECTIONS or key in NUMBERS or key in ("unit_name", "person_name",
                                                                "villages")
        return None if optional and not text else text

    @validates_schema
    def individual_needs_a_person(self, data, **_kwargs):
        if data.get("subject_type") == "individual" and not data.get("person_name"):
            raise ValidationError(PERSON_NEEDED, "person_name")


class AmendmentSchema(RegistrationSchema):
    """An amendment of an approved model: a new name, field or targets, and the reason why."""

    class Meta(RegistrationSchema.Meta):
        fields = ("title", "field", "objectives", "reason")

    reason = fields.String(
        required=True, error_messages=TEXT,
        validate=validate.Length(min=5, max=2000,
                                 error=_l("Give the reason in 5 to 2,000 characters.")),
    )


QUANTITY_ERRORS = {
    "format": _l("Enter the number the Vietnamese way, for example 9.952 or 1,5."),
    "negative": _l("This figure cannot be negative."),
    "too_large": _l("This figure is too large; check the number of zeros."),
}


class Quantity(fields.Decimal):
    """A reported figure typed the Vietnamese way ("9.952", "1,5"), kept as an exact Decimal."""

    def __init__(self, indicator: Indicator, **kwargs):
        super().__init__(allow_none=True, load_default=None, as_string=True, **kwargs)
        self.indicator = indicator

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_decimal_number(value, self.indicator.decimals, self.indicator.maximum)
        except NumberError as error:
            if error.reason == "fraction":
                message = _l("Enter a whole number.") if not self.indicator.decimals else _l(
                    "Use at most %(places)s decimal places.", places=self.indicator.decimals)
                raise ValidationError(message) from None
            raise ValidationError(QUANTITY_ERRORS[error.reason]) from None
        except (TypeError, ArithmeticError):
            raise ValidationError(QUANTITY_ERRORS["format"]) from None


class _ReportBase(Schema):
    class Meta:
        unknown = EXCLUDE

    period_id = fields.Integer(required=True, error_messages={
        **REQUIRED, "invalid": _l("Choose a reporting period from the list.")})
    narrative = _optional_text(8000, _l("Keep the narrative to at most 8,000 characters."))

    @pre_load
    def tidy(self, data, **_kwargs):
        if not isinstance(data, dict):
            raise ValidationError(_l("Send the fields as an object."), "_schema")
        tidy = {key: value.strip() if isinstance(value, str) else value
                for key, value in data.items()}
        if isinstance(tidy.get("narrative"), str):
            tidy["narrative"] = _paragraphs(tidy["narrative"]) or None
        return {key: (None if value == "" and key != "period_id" else value)
                for key, value in tidy.items()}


# A result report: its period, one optional figure per indicator of the catalogue, a narrative.
ReportSchema = _ReportBase.from_dict(
    {code: Quantity(indicator) for code, indicator in INDICATORS.items()}, name="ReportSchema")


def load_amendment(data) -> dict:
    return _load(AmendmentSchema(), data)


def load_report(data) -> dict:
    return _load(ReportSchema(), data)


def load_registration(data, partial: bool = False) -> dict:
    """Validate a registration; raise ``InvalidInput`` with a message per bad field."""
    return _load(RegistrationSchema(), data, partial)


def _load(schema: Schema, data, partial: bool = False) -> dict:
    try:
        return schema.load(data, partial=partial)
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


class FigureSchema(Schema):
    code = fields.String()
    value = fields.Decimal(as_string=True)  # exact: "1.5", never 1.4999...


class EvidenceSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    thumbnail_ready = fields.Function(lambda e: e.thumbnail is not None)
    uploaded_at = fields.DateTime()


class NominationSchema(Schema):
    """An award nomination naming the model, as review last told it."""

    id = fields.Integer()
    award_form = fields.String()
    award_form_name = fields.String()
    level = fields.String()
    subject_name = fields.String()
    status = fields.String()
    decision_number = fields.String(allow_none=True)
    decision_date = fields.Date(allow_none=True)
    signer = fields.String(allow_none=True)


class SubmissionSchema(Schema):
    """A submission as the API shows it: where it is, and how it got there."""

    id = fields.Integer()
    kind = fields.String()
    model_id = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    period_id = fields.Integer(allow_none=True)
    narrative = fields.String(allow_none=True)
    figures = fields.Method("_figures", metadata={"type": "array"})
    evidence = fields.Method("_evidence", metadata={"type": "array"})
    title = fields.String()
    field = fields.String()
    subject_type = fields.String()
    commune_code = fields.String()
    unit_name = fields.String()
    person_name = fields.String()
    villages = fields.String()
    situation = fields.String()
    objectives = fields.String()
    activities = fields.String()
    beneficiaries = fields.String()
    forces = fields.String()
    timeline = fields.String()
    expected_outputs = fields.String()
    sustainability = fields.String()
    funding_vnd = fields.Integer()
    labour_days = fields.Integer()
    status = fields.String()
    stage = fields.String()
    last_comment = fields.String()
    exemplar = fields.Boolean()
    inspection_outcome = fields.String(allow_none=True)
    inspection_findings = fields.String(allow_none=True)
    inspected_at = fields.DateTime(allow_none=True)
    nominations = fields.Method("_nominations", metadata={"type": "array"})
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    history = fields.List(fields.Nested(HistorySchema))

    def _figures(self, submission) -> list:
        if submission.kind != "result_report":
            return []
        found = reports.figures(object_session(submission), submission.id)
        return FigureSchema(many=True).dump([{"code": c, "value": v} for c, v in found.items()])

    def _nominations(self, submission) -> list:
        if submission.kind != "registration":
            return []
        found = recognition.nominations_of(object_session(submission), submission)
        return NominationSchema(many=True).dump(found)

    def _evidence(self, submission) -> list:
        if submission.kind != "result_report":
            return []
        return EvidenceSchema(many=True).dump(reports.files(object_session(submission), submission.id))


class NewAmendmentSchema(AmendmentSchema):
    """The body of ``POST /api/models/{id}/amendments``: the changes, the reason, and whether to send."""

    class Meta(AmendmentSchema.Meta):
        fields = ("title", "field", "objectives", "reason", "submit")

    submit = fields.Boolean(load_default=False)


NewReportSchema = ReportSchema.from_dict({"submit": fields.Boolean(load_default=False)},
                                         name="NewReportSchema")
