"""Review's rules: approval chains, who may decide what, and what a decision does.

Free of Flask, SQL and the broker, so every rule is tested as a plain function.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.errors import InvalidInput, InvalidTransition, NotPermitted
from shared.identity import Identity, is_admin


class ItemStatus(StrEnum):
    OPEN = "open"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Decision(StrEnum):
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"


@dataclass(frozen=True)
class Chain:
    """An ordered list of stages; the default is commune → district → steering committee."""

    stages: tuple[str, ...]

    def __post_init__(self):
        if not self.stages or len(set(self.stages)) != len(self.stages):
            raise ValueError(f"a chain needs distinct stages, got {self.stages!r}")

    @classmethod
    def parse(cls, text: str) -> Chain:
        return cls(tuple(stage for stage in text.split(",") if stage))

    def __str__(self) -> str:
        return ",".join(self.stages)

    @property
    def first(self) -> str:
        return self.stages[0]

    def after(self, stage: str) -> str | None:
        position = self.stages.index(stage)
        return self.stages[position + 1] if position + 1 < len(self.stages) else None


@dataclass(frozen=True)
class Outcome:
    status: ItemStatus
    stage: str
    name: str  # advanced | approved | returned | rejected, as the event contract says
    to_stage: str | None


def decide(chain: Chain, status: ItemStatus, stage: str, decision: Decision,
           comment: str) -> Outcome:
    """Apply a reviewer's decision to an open item at ``stage``."""
    if status != ItemStatus.OPEN:
        raise InvalidTransition(f"item is {status}")
    if decision == Decision.APPROVE:
        following = chain.after(stage)
        if following:
            return Outcome(ItemStatus.OPEN, following, "advanced", following)
        return Outcome(ItemStatus.APPROVED, stage, "approved", None)
    if not comment.strip():
        raise InvalidInput({"comment": ["required"]})
    if decision == Decision.RETURN:
        return Outcome(ItemStatus.RETURNED, stage, "returned", None)
    return Outcome(ItemStatus.REJECTED, stage, "rejected", None)


def may_review(user: Identity, stage: str, commune_code: str, district_code: str) -> bool:
    """A reviewer decides only at their own stage, and only inside their own area."""
    if is_admin(user):
        return True
    if not user.works_stage(stage):
        return False
    return user.scope == (commune_code if stage == "commune" else district_code)


def check_may_review(user: Identity, stage: str, commune_code: str, district_code: str) -> None:
    if not may_review(user, stage, commune_code, district_code):
        raise NotPermitted()


def reopen(status: ItemStatus, returned_from: str | None, chain: Chain) -> str:
    """A fixed, resubmitted item goes back to the stage that returned it, not to the start."""
    if status != ItemStatus.RETURNED:
        raise InvalidTransition(f"item is {status}")
    return returned_from or chain.first


def snapshot(title: str, field: str, subject_type: str, details: dict | None) -> dict:
    """What a reviewer saw of a submission, to compare a resubmission with."""
    return {"title": title, "field": field, "subject_type": subject_type, **(details or {})}


def changes_since(before: dict, after: dict) -> list[dict]:
    """Each value a resubmission changed: name, value returned, value now (in a stable order)."""
    names = list(dict.fromkeys([*before, *after]))
    return [{"name": name, "before": before.get(name), "after": after.get(name)}
            for name in names if (before.get(name) or None) != (after.get(name) or None)]
