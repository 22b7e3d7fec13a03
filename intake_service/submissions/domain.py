"""Intake's rules for a submission's life, free of Flask, SQL and the broker.

draft → submitted → in_review (stage) → approved | returned | rejected, plus
withdrawn. A returned submission goes back to its author and, resubmitted,
returns to the stage that sent it back (the review service remembers which).
"""

from __future__ import annotations

from enum import StrEnum

from shared.errors import InvalidTransition


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    RETURNED = "returned"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# What a registration carries beyond name, field, subject type and commune (all optional in a draft).
SECTIONS = ("situation", "objectives", "activities", "beneficiaries", "forces", "timeline",
            "expected_outputs", "sustainability")
NUMBERS = ("funding_vnd", "labour_days")
DETAILS = ("unit_name", "person_name", "villages", *SECTIONS, *NUMBERS)

EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
FINAL = frozenset({Status.APPROVED, Status.REJECTED, Status.WITHDRAWN})

# What a review outcome turns the intake status into.
OUTCOME_STATUS = {
    "advanced": Status.IN_REVIEW,
    "approved": Status.APPROVED,
    "returned": Status.RETURNED,
    "rejected": Status.REJECTED,
}


def check_editable(status: Status) -> None:
    if status not in EDITABLE:
        raise InvalidTransition(f"cannot edit a {status} submission")


def check_submittable(status: Status) -> None:
    if status not in EDITABLE:
        raise InvalidTransition(f"cannot submit a {status} submission")


def check_withdrawable(status: Status) -> None:
    if status in FINAL:
        raise InvalidTransition(f"cannot withdraw a {status} submission")


def is_news(mirrored_version: int, event_version: int) -> bool:
    """An event from review applies only if it is newer than what intake already mirrors."""
    return event_version > mirrored_version


def status_after_review(outcome: str, current: Status) -> Status:
    if current == Status.WITHDRAWN:
        return current
    return OUTCOME_STATUS[outcome]


# ---- amendments: changing an approved model -------------------------------------------------

AMENDABLE = ("title", "field", "objectives")  # its name, its field, its targets


class AmendmentInProgress(InvalidTransition):
    """The model already has an amendment that is not finished."""


class ReportExists(InvalidTransition):
    """The model already has a result report for that period."""


class NothingChanged(InvalidTransition):
    """An amendment that changes nothing."""


def check_amendable(kind: str, status: Status, amendments_open: int) -> None:
    """Only an approved registration is amended, and one amendment at a time."""
    if kind != "registration" or status != Status.APPROVED:
        raise InvalidTransition("only an approved model is amended; a draft is simply edited")
    if amendments_open:
        raise AmendmentInProgress("an amendment of this model is already in progress")


def amendment_changes(approved: dict, proposed: dict) -> list[dict]:
    """What an amendment changes, field by field: the approved value and the proposed one."""
    changes = [{"name": name, "before": approved.get(name), "after": proposed.get(name)}
               for name in AMENDABLE if (approved.get(name) or None) != (proposed.get(name) or None)]
    if not changes:
        raise NothingChanged("an amendment must change the name, the field or the targets")
    return changes


# ---- result reports: a model's results for a period ------------------------------------------


def check_reportable(kind: str, status: Status, reports_in_period: int) -> None:
    """Results are reported on an approved model, once per period (a withdrawn one aside)."""
    if kind != "registration" or status != Status.APPROVED:
        raise InvalidTransition("results are reported on an approved model")
    if reports_in_period:
        raise ReportExists("this model already has a report for that period")
