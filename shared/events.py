"""Event contracts: the envelope and one versioned marshmallow schema per event.

Events are named in the past tense; the routing key is the event type. The
payload carries the state a consumer needs, so the review service can show a
submission without calling the intake service. A schema change that is not
backwards compatible gets a new version number and a new schema here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared import clock

SUBMISSION_SUBMITTED = "intake.submission.submitted"
SUBMISSION_WITHDRAWN = "intake.submission.withdrawn"
REVIEW_ITEM_OPENED = "review.item.opened"
REVIEW_DECISION_RECORDED = "review.decision.recorded"
REVIEW_ITEM_OVERDUE = "review.item.overdue"
# The outputs of review, about a model (an approved registration, named by its submission id).
EXEMPLAR_MARKED = "review.exemplar.marked"
NOMINATION_CHANGED = "review.nomination.changed"
INSPECTION_CONCLUDED = "review.inspection.concluded"
INSPECTION_OVERDUE = "review.inspection.overdue"
# Directory changes travel under "intake." so review's existing "intake.#" binding receives them.
ORG_UNIT_CHANGED = "intake.directory.org_unit.changed"
UNIT_CHANGED = "intake.directory.unit.changed"
# Under "intake." too: review honours sign-outs without reading intake's users table.
SESSIONS_REVOKED = "intake.account.sessions_revoked"
TOKEN_REVOKED = "intake.account.token_revoked"  # one API token, revoked on its own

SUBMISSION_KINDS = ("registration", "amendment", "result_report")
DECISIONS = ("approve", "return", "reject")
OUTCOMES = ("advanced", "approved", "returned", "rejected")
NOMINATION_STATUSES = ("proposed", "awaiting_verification", "verified", "submitted", "decided",
                       "dropped")
INSPECTION_OUTCOMES = ("verified", "partly_verified", "not_verified")


class ContractError(Exception):
    """An event does not match any known contract."""

    def __init__(self, messages: Any):
        super().__init__(str(messages))
        self.messages = messages


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class Actor(_Strict):
    id = fields.Integer(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class SubmissionSubmittedV1(_Strict):
    submission_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(SUBMISSION_KINDS))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    field = fields.String(required=True, validate=validate.Length(min=1, max=50))
    subject_type = fields.String(required=True, validate=validate.OneOf(("collective", "individual")))
    commune_code = fields.String(required=True)
    commune_name = fields.String(required=True)
    district_code = fields.String(required=True)
    submitter = fields.Nested(Actor, required=True)
    submitted_at = fields.DateTime(required=True)


class RegistrationDetails(_Strict):
    """What a registration carries beyond its name: who, where, the written sections, resources."""

    unit_name = fields.String(allow_none=True, validate=validate.Length(max=200))
    person_name = fields.String(allow_none=True, validate=validate.Length(max=200))
    villages = fields.String(allow_none=True, validate=validate.Length(max=1000))
    situation = fields.String(allow_none=True, validate=validate.Length(max=4000))
    objectives = fields.String(allow_none=True, validate=validate.Length(max=4000))
    activities = fields.String(allow_none=True, validate=validate.Length(max=4000))
    beneficiaries = fields.String(allow_none=True, validate=validate.Length(max=4000))
    forces = fields.String(allow_none=True, validate=validate.Length(max=4000))
    timeline = fields.String(allow_none=True, validate=validate.Length(max=4000))
    expected_outputs = fields.String(allow_none=True, validate=validate.Length(max=4000))
    sustainability = fields.String(allow_none=True, validate=validate.Length(max=4000))
    funding_vnd = fields.Integer(allow_none=True, strict=True,
                                 validate=validate.Range(min=0, max=10**15))  # whole đồng
    labour_days = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=0))


class SubmissionSubmittedV2(SubmissionSubmittedV1):
    """V1 plus the registration's details, so a reviewer sees what was registered."""

    details = fields.Nested(RegistrationDetails, required=True)


class Change(_Strict):
    name = fields.String(required=True, validate=validate.OneOf(("title", "field", "objectives")))
    before = fields.String(required=True, allow_none=True)
    after = fields.String(required=True, allow_none=True)


class AmendmentFacts(_Strict):
    """Why the unit wants an approved model changed, and what would change."""

    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    changes = fields.List(fields.Nested(Change), required=True, validate=validate.Length(min=1))


class ReportedPeriod(_Strict):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    year = fields.Integer(required=True)


class ReportedFigure(_Strict):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    value = fields.Decimal(required=True, as_string=True, places=None)  # exact: never a float


class EvidenceFile(_Strict):
    id = fields.Integer(required=True)
    filename = fields.String(required=True, validate=validate.Length(min=1, max=255))
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)


class ReportFacts(_Strict):
    """A model's results for one period: the standard figures, the narrative, the evidence."""

    period = fields.Nested(ReportedPeriod, required=True)
    indicators = fields.List(fields.Nested(ReportedFigure), required=True)
    narrative = fields.String(required=True, allow_none=True, validate=validate.Length(max=8000))
    evidence = fields.List(fields.Nested(EvidenceFile), required=True)


class SubmissionSubmittedV3(SubmissionSubmittedV2):
    """V2 plus what amendments and result reports carry, and the model they are about."""

    model_id = fields.Integer(required=True, allow_none=True)
    amendment = fields.Nested(AmendmentFacts, required=True, allow_none=True)
    report = fields.Nested(ReportFacts, required=True, allow_none=True)


class SubmissionWithdrawnV1(_Strict):
    submission_id = fields.Integer(required=True)
    actor = fields.Nested(Actor, required=True)
    withdrawn_at = fields.DateTime(required=True)


class ReviewItemOpenedV1(_Strict):
    submission_id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    stage = fields.String(required=True)
    opened_at = fields.DateTime(required=True)


class ReviewItemOpenedV2(ReviewItemOpenedV1):
    """V1 plus when the stage the item waits at is due, by review's own deadlines: what intake
    knows of them (its report's "overdue") comes from here, never from a copy of the settings."""

    due_at = fields.DateTime(required=True)


class ReviewDecisionRecordedV1(_Strict):
    submission_id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    from_stage = fields.String(required=True)
    to_stage = fields.String(required=True, allow_none=True)
    comment = fields.String(required=True, allow_none=True)
    actor = fields.Nested(Actor, required=True)
    decided_at = fields.DateTime(required=True)


class ReviewDecisionRecordedV2(ReviewDecisionRecordedV1):
    """V1 plus, when the item advanced to another stage, when that stage is due (None when the
    decision leaves it waiting at no stage: approved, returned or rejected)."""

    due_at = fields.DateTime(required=True, allow_none=True)


class ReviewItemOverdueV1(_Strict):
    """An item is past its stage's due time: remind (first) or escalate (later) the people named."""

    submission_id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    stage = fields.String(required=True)
    commune_code = fields.String(required=True)
    district_code = fields.String(required=True)
    assignee_id = fields.Integer(required=True, allow_none=True)
    step = fields.String(required=True, validate=validate.OneOf(("reminder", "escalation")))
    due_at = fields.DateTime(required=True)


class ExemplarMarkedV1(_Strict):
    """The steering committee recognised a model and chose it as an exemplar (điển hình)."""

    model_id = fields.Integer(required=True)
    submission_id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    session_id = fields.Integer(required=True, allow_none=True)
    actor = fields.Nested(Actor, required=True)
    marked_at = fields.DateTime(required=True)


class NominationChangedV1(_Strict):
    """The whole state of an award nomination after a change; ``version`` orders the news."""

    nomination_id = fields.Integer(required=True)
    model_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1))
    subject_type = fields.String(required=True, validate=validate.OneOf(("collective", "individual")))
    subject_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    award_form = fields.String(required=True, validate=validate.Length(min=1, max=40))
    award_form_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    level = fields.String(required=True, validate=validate.Length(min=1, max=40))
    status = fields.String(required=True, validate=validate.OneOf(NOMINATION_STATUSES))
    commune_code = fields.String(required=True)
    district_code = fields.String(required=True)
    period_id = fields.Integer(required=True, allow_none=True)
    decision_number = fields.String(required=True, allow_none=True, validate=validate.Length(max=80))
    decision_date = fields.Date(required=True, allow_none=True)
    signer = fields.String(required=True, allow_none=True, validate=validate.Length(max=200))
    reason = fields.String(required=True, allow_none=True, validate=validate.Length(max=4000))
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    changed_at = fields.DateTime(required=True)


class InspectionConcludedV1(_Strict):
    """An inspection team concluded its check of a model on site."""

    task_id = fields.Integer(required=True)
    model_id = fields.Integer(required=True)
    period_id = fields.Integer(required=True, allow_none=True)
    nomination_id = fields.Integer(required=True, allow_none=True)
    outcome = fields.String(required=True, validate=validate.OneOf(INSPECTION_OUTCOMES))
    findings = fields.String(required=True, validate=validate.Length(max=8000))
    team_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    actor = fields.Nested(Actor, required=True)
    concluded_at = fields.DateTime(required=True)


class InspectionOverdueV1(_Strict):
    """An inspection is past its due time and escalated: its inspectors and the district are told."""

    task_id = fields.Integer(required=True)
    model_id = fields.Integer(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    commune_code = fields.String(required=True)
    district_code = fields.String(required=True)
    team_name = fields.String(required=True, allow_none=True)
    inspector_ids = fields.List(fields.Integer(), required=True)
    due_at = fields.DateTime(required=True)


class OrgUnitChangedV1(_Strict):
    """The whole state of an org unit after a change; ``version`` orders the news."""

    code = fields.String(required=True, validate=validate.Length(min=1, max=80))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    level = fields.String(required=True, validate=validate.OneOf(
        ("province", "district", "commune", "township", "village")))
    parent_code = fields.String(required=True, allow_none=True)
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True, allow_none=True)
    successor_code = fields.String(required=True, allow_none=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))


class UnitChangedV1(_Strict):
    """The whole state of a unit (collective body) after a change."""

    code = fields.String(required=True, validate=validate.Length(min=1, max=80))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.Length(min=1, max=40))
    org_code = fields.String(required=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))


class SessionsRevokedV1(_Strict):
    """A user signed out everywhere: sessions and API tokens issued before ``epoch`` are void."""

    user_id = fields.Integer(required=True, strict=True)
    epoch = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    reason = fields.String(required=True, validate=validate.OneOf(
        ("sign_out_everywhere", "password_changed", "signed_out_by_admin")))
    revoked_at = fields.DateTime(required=True)


class TokenRevokedV1(_Strict):
    """One API token was revoked (by its user or an administrator): it is void from now on."""

    token_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    user_id = fields.Integer(required=True, strict=True)
    revoked_at = fields.DateTime(required=True)


CONTRACTS: dict[tuple[str, int], type[Schema]] = {
    (SUBMISSION_SUBMITTED, 1): SubmissionSubmittedV1,  # still accepted from older producers
    (SUBMISSION_SUBMITTED, 2): SubmissionSubmittedV2,
    (SUBMISSION_SUBMITTED, 3): SubmissionSubmittedV3,
    (SUBMISSION_WITHDRAWN, 1): SubmissionWithdrawnV1,
    (REVIEW_ITEM_OPENED, 1): ReviewItemOpenedV1,  # still accepted from older producers
    (REVIEW_ITEM_OPENED, 2): ReviewItemOpenedV2,
    (REVIEW_DECISION_RECORDED, 1): ReviewDecisionRecordedV1,  # still accepted from older producers
    (REVIEW_DECISION_RECORDED, 2): ReviewDecisionRecordedV2,
    (REVIEW_ITEM_OVERDUE, 1): ReviewItemOverdueV1,
    (EXEMPLAR_MARKED, 1): ExemplarMarkedV1,
    (NOMINATION_CHANGED, 1): NominationChangedV1,
    (INSPECTION_CONCLUDED, 1): InspectionConcludedV1,
    (INSPECTION_OVERDUE, 1): InspectionOverdueV1,
    (ORG_UNIT_CHANGED, 1): OrgUnitChangedV1,
    (UNIT_CHANGED, 1): UnitChangedV1,
    (SESSIONS_REVOKED, 1): SessionsRevokedV1,
    (TOKEN_REVOKED, 1): TokenRevokedV1,
}


class Envelope(_Strict):
    event_id = fields.UUID(required=True)
    type = fields.String(required=True)
    version = fields.Integer(required=True, strict=True)
    occurred_at = fields.DateTime(required=True)
    producer = fields.String(required=True)
    correlation_id = fields.String(required=True)
    aggregate_id = fields.String(required=True)
    aggregate_version = fields.Integer(required=True, strict=True)
    payload = fields.Dict(required=True)


_ENVELOPE = Envelope()


@dataclass(frozen=True)
class Event:
    type: str
    payload: dict[str, Any]
    producer: str
    aggregate_id: str
    aggregate_version: int
    version: int = 1
    correlation_id: str = ""
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=clock.now)


@cache  # a schema holds no state between loads: one instance per contract serves every event
def _payload_schema(event_type: str, version: int) -> Schema:
    try:
        return CONTRACTS[(event_type, version)]()
    except KeyError:
        raise ContractError({"type": f"unknown event {event_type} v{version}"}) from None


def encode(event: Event) -> dict[str, Any]:
    """Validate an event against its contract and return its wire form."""
    payload = _payload_schema(event.type, event.version).dump(event.payload)
    body = {
        "event_id": event.event_id,
        "type": event.type,
        "version": event.version,
        "occurred_at": event.occurred_at.isoformat(),
        "producer": event.producer,
        "correlation_id": event.correlation_id or event.event_id,
        "aggregate_id": event.aggregate_id,
        "aggregate_version": event.aggregate_version,
        "payload": payload,
    }
    decode(body)
    return body


def decode(body: Any) -> Event:
    """Validate a wire-form event and return it with a typed payload."""
    if not isinstance(body, dict):
        raise ContractError({"_schema": "event body is not an object"})
    try:
        head = _ENVELOPE.load(body)
        payload = _payload_schema(head["type"], head["version"]).load(head["payload"])
    except ValidationError as error:
        raise ContractError(error.messages) from error
    return Event(
        type=head["type"],
        version=head["version"],
        payload=payload,
        producer=head["producer"],
        aggregate_id=head["aggregate_id"],
        aggregate_version=head["aggregate_version"],
        correlation_id=head["correlation_id"],
        event_id=str(head["event_id"]),
        occurred_at=head["occurred_at"],
    )
