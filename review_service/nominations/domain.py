"""The rules of an award nomination: its lifecycle, who may do what, and the checks on its fields.

Free of Flask, SQL and the broker. Recognising a model (the committee) and commending it (the
competent authority) are two acts: a nomination is proposed when the committee chooses an
exemplar, waits for an inspection team to verify the model on site, is submitted for decision
once verified and while its subject is eligible, and ends decided (number, date, signer) or
dropped (with a reason). Each refusal has a code of its own, so the reader is told exactly why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from review_service.bus import DomainEvent
from shared.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from shared.identity import Identity, Role, covers_district


class Status(StrEnum):
    PROPOSED = "proposed"
    AWAITING_VERIFICATION = "awaiting_verification"
    VERIFIED = "verified"
    SUBMITTED = "submitted"
    DECIDED = "decided"
    DROPPED = "dropped"


FINAL = (Status.DECIDED, Status.DROPPED)
# While a nomination is prepared (until it is submitted) its reasons and achievements are written.
PREPARED = (Status.PROPOSED, Status.AWAITING_VERIFICATION, Status.VERIFIED)
# A dossier holds only what its inspection verified.
IN_DOSSIER = (Status.VERIFIED, Status.SUBMITTED, Status.DECIDED)


class Action(StrEnum):
    """What happens to a nomination; each is a line of its history."""

    PROPOSE = "propose"  # the committee chose the model as an exemplar
    REQUEST_INSPECTION = "request_inspection"
    VERIFY = "verify"  # the inspection verified the model
    RETURN = "return"  # the inspection did not (fully) verify it: back to the committee
    NOTE_INSPECTION = "note_inspection"  # a late inspection outcome, kept without a change
    EDIT = "edit"
    SUBMIT = "submit"
    DECIDE = "decide"
    DROP = "drop"
    FLAG = "flag_ineligible"
    CLEAR = "clear_ineligible"


class Outcome(StrEnum):
    VERIFIED = "verified"
    PARTLY_VERIFIED = "partly_verified"
    NOT_VERIFIED = "not_verified"


class Refusal(StrEnum):
    """Why a step is refused; the pages word each one."""

    FINAL = "final"  # decided or dropped: nothing more happens
    NOT_PROPOSED = "not_proposed"  # only a proposed nomination is sent to inspection
    NOT_PREPARED = "not_prepared"  # once submitted for decision, the details stay as submitted
    NOT_VERIFIED = "not_verified"  # submitting before the inspection verified the model
    RETURNED = "returned"  # submitting one the inspection did not verify
    INELIGIBLE = "ineligible"  # submitting while the subject is flagged ineligible
    ALREADY_SUBMITTED = "already_submitted"
    NOT_SUBMITTED = "not_submitted"  # deciding one not submitted for decision
    ALREADY_FLAGGED = "already_flagged"
    NOT_FLAGGED = "not_flagged"


class Refused(InvalidTransition):
    """A step the nomination's state does not allow; ``code`` says which rule refused it."""

    def __init__(self, code: Refusal, detail: str = ""):
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail


VIEW_ROLES = (Role.COMMITTEE_MEMBER, Role.COMMITTEE_CHAIR, Role.DISTRICT_REVIEWER, Role.ADMIN)
ACT_ROLES = (Role.COMMITTEE_CHAIR, Role.DISTRICT_REVIEWER, Role.ADMIN)  # the district's commendation work
FLAG_ROLES = (Role.ADMIN,)
SUBJECT_TYPES = ("collective", "individual")
COMMENDATION_TYPES = ("thematic", "regular")  # chuyên đề (for the movement) | thường xuyên
LEVELS = ("commune", "district", "province", "central")
TEXT_MAX = 4000
NUMBER_MAX = 80
NAME_MAX = 200


# ---- who -----------------------------------------------------------------------------------


def check_viewer(user: Identity, district_code: str | None = None) -> None:
    """The committee, the district's reviewers and administrators see nominations; another
    district's are not found."""
    if user.role not in VIEW_ROLES:
        raise NotPermitted()
    if district_code is not None and not covers_district(user, district_code):
        raise NotFound()


def check_actor(user: Identity, district_code: str) -> None:
    """The chair, the district's reviewers and administrators move a nomination on."""
    check_viewer(user, district_code)
    if not is_actor(user):
        raise NotPermitted()


def is_actor(user: Identity) -> bool:
    """Of the roles that move nominations on (in their own district)."""
    return user.role in ACT_ROLES


def may_act(user: Identity, district_code: str) -> bool:
    return is_actor(user) and covers_district(user, district_code)


def is_flagger(user: Identity) -> bool:
    return user.role in FLAG_ROLES


def check_flagger(user: Identity, district_code: str) -> None:
    check_viewer(user, district_code)
    if not is_flagger(user):
        raise NotPermitted()


# ---- the lifecycle -------------------------------------------------------------------------


def _not_final(status: Status) -> None:
    if status in FINAL:
        raise Refused(Refusal.FINAL)


def request_inspection(status: Status) -> Status:
    """A proposed nomination waits for an inspection team to verify the model."""
    _not_final(status)
    if status != Status.PROPOSED:
        raise Refused(Refusal.NOT_PROPOSED)
    return Status.AWAITING_VERIFICATION


def after_inspection(status: Status, outcome: Outcome) -> tuple[Action, Status]:
    """What an inspection's conclusion does: a verified model moves the nomination on; partly or
    not verified sends it back to the committee, proposed again with the findings. A nomination
    already submitted, decided or dropped only keeps the outcome in its history."""
    if status in (*FINAL, Status.SUBMITTED):
        return Action.NOTE_INSPECTION, status
    if outcome == Outcome.VERIFIED:
        return Action.VERIFY, Status.VERIFIED
    return Action.RETURN, Status.PROPOSED


def submit(status: Status, ineligible_reason: str | None, returned: bool) -> Status:
    """Submit for decision: only once verified, and never while the subject is flagged."""
    _not_final(status)
    if ineligible_reason:
        raise Refused(Refusal.INELIGIBLE, ineligible_reason)
    if status == Status.SUBMITTED:
        raise Refused(Refusal.ALREADY_SUBMITTED)
    if status == Status.PROPOSED and returned:
        raise Refused(Refusal.RETURNED)
    if status != Status.VERIFIED:
        raise Refused(Refusal.NOT_VERIFIED)
    return Status.SUBMITTED


def decide(status: Status) -> Status:
    _not_final(status)
    if status != Status.SUBMITTED:
        raise Refused(Refusal.NOT_SUBMITTED)
    return Status.DECIDED


def drop(status: Status) -> Status:
    _not_final(status)
    return Status.DROPPED


def check_editable(status: Status) -> None:
    """Reasons, achievements, award form and level are worked on while the nomination is prepared:
    proposed, at its inspection, verified — until it is submitted for decision."""
    _not_final(status)
    if status not in PREPARED:
        raise Refused(Refusal.NOT_PREPARED)


def in_dossier(statuses: list[Status]) -> bool:
    """Whether nominations in these statuses may go in a dossier: every one verified."""
    return all(status in IN_DOSSIER for status in statuses)


def allowed_actions(status: Status, ineligible: bool) -> list[Action]:
    """The buttons a nomination's page offers someone who may act on it."""
    if status in FINAL:
        return []
    offered = {
        Status.PROPOSED: [Action.EDIT, Action.REQUEST_INSPECTION],
        Status.AWAITING_VERIFICATION: [Action.EDIT],
        Status.VERIFIED: [Action.EDIT] if ineligible else [Action.EDIT, Action.SUBMIT],
        Status.SUBMITTED: [Action.DECIDE],
    }[status]
    return [*offered, Action.DROP]


# ---- what is typed in ----------------------------------------------------------------------


@dataclass(frozen=True)
class AwardForm:
    code: str
    name: str  # Vietnamese, as written on the documents
    level: str  # the level that usually grants it


DEFAULT_AWARD_FORMS = (
    AwardForm("giay_khen", "Giấy khen", "district"),
    AwardForm("bang_khen", "Bằng khen", "province"),
    AwardForm("giay_chung_nhan", "Giấy chứng nhận", "district"),
)


def award_forms_from_json(text: str | None) -> tuple[AwardForm, ...]:
    """The defaults, or ``[{"code": "giay_khen", "name": "Giấy khen", "level": "district"}, ...]``."""
    if not text or not text.strip():
        return DEFAULT_AWARD_FORMS
    given = json.loads(text)
    if not isinstance(given, list) or not given:
        raise ValueError("DVK_AWARD_FORMS must be a non-empty JSON list")
    forms = []
    for entry in given:
        code, name, level = (str(entry.get(key, "")).strip() for key in ("code", "name", "level"))
        if not (0 < len(code) <= 40 and 0 < len(name) <= 200) or level not in LEVELS:
            raise ValueError(f"award form needs a code (≤ 40), a name and a level in {LEVELS}: {entry}")
        forms.append(AwardForm(code, name, level))
    if len({form.code for form in forms}) != len(forms):
        raise ValueError("award form codes must differ")
    return tuple(forms)


def check_details(award_form: str, level: str, commendation_type: str, reasons: str,
                  achievements: str, forms: tuple[AwardForm, ...]) -> None:
    """The editable fields of a proposed nomination; each bad one is named."""
    errors: dict[str, list[str]] = {}
    if award_form not in {form.code for form in forms}:
        errors["award_form"] = ["choice"]
    if level not in LEVELS:
        errors["level"] = ["choice"]
    if commendation_type not in COMMENDATION_TYPES:
        errors["commendation_type"] = ["choice"]
    if len(reasons) > TEXT_MAX:
        errors["reasons"] = ["length"]
    if len(achievements) > TEXT_MAX:
        errors["achievements"] = ["length"]
    if errors:
        raise InvalidInput(errors)


def check_decision(number: str, decided_on: date | None, signer: str, today: date) -> None:
    """A decision has its number, its date (not in the future) and who signed it."""
    errors: dict[str, list[str]] = {}
    if not 0 < len(number) <= NUMBER_MAX:
        errors["decision_number"] = ["required"]
    if decided_on is None:
        errors["decision_date"] = ["required"]
    elif decided_on > today:
        errors["decision_date"] = ["future"]
    if not 0 < len(signer) <= NAME_MAX:
        errors["signer"] = ["required"]
    if errors:
        raise InvalidInput(errors)


def check_reason(reason: str, field: str = "reason") -> None:
    """Dropping a nomination, or flagging its subject, needs a reason."""
    if not reason:
        raise InvalidInput({field: ["required"]})
    if len(reason) > TEXT_MAX:
        raise InvalidInput({field: ["length"]})


def parse_vn_date(text: str) -> date | None:
    """A date as Vietnamese write it, ``dd/mm/yyyy`` (also ``d/m/yyyy``), or ISO ``yyyy-mm-dd``
    as a date picker sends it; None when it is no date."""
    text = (text or "").strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day) if year >= 1900 else None
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def subject_of(subject_type: str, details: dict | None, submitter_name: str) -> str:
    """Who is commended: the collective unit, or the person, as the registration names them."""
    details = details or {}
    named = details.get("person_name") if subject_type == "individual" else details.get("unit_name")
    return ((named or "").strip() or submitter_name.strip() or "—")[:NAME_MAX]


# ---- what a nomination sets off -----------------------------------------------------------


@dataclass(frozen=True)
class InspectionRequested(DomainEvent):
    """A nomination waits for its model (``item_id``, the registration's item) to be verified
    on site by an inspection team."""

    nomination_id: int
    item_id: int
    actor: Identity
