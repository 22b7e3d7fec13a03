"""The committee's voting rules: quorum and majority per decision type, and the tally.

Free of Flask, SQL and the broker. Fractions are exact: 2/3 of 9 members is 6, never 5.999.
Abstentions count toward the quorum (the member took part) but not toward the majority.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from review_service.bus import DomainEvent
from shared.errors import InvalidTransition, NotFound, NotPermitted
from shared.identity import Identity, Role, covers_district


class Choice(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    ABSTAIN = "abstain"


class DecisionType(StrEnum):
    RECOGNISE = "recognise"  # công nhận mô hình
    EXEMPLAR = "exemplar"  # công nhận và chọn làm điển hình


class SessionStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Outcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"


MEMBER_ROLES = (Role.COMMITTEE_MEMBER, Role.COMMITTEE_CHAIR, Role.ADMIN)
CHAIR_ROLES = (Role.COMMITTEE_CHAIR, Role.ADMIN)
REJECTION_REASON = "committee vote"


@dataclass(frozen=True)
class Rule:
    """``quorum``: share of members who must vote; an item passes when approvals make up
    *more than* ``majority`` of the approve/reject votes, or at least it when ``inclusive``."""

    quorum: Fraction
    majority: Fraction
    inclusive: bool = False

    def __post_init__(self):
        if not (0 < self.quorum <= 1 and 0 <= self.majority <= 1):
            raise ValueError(f"quorum must be in (0, 1] and majority in [0, 1], got {self}")


DEFAULT_RULES: dict[str, Rule] = {
    DecisionType.RECOGNISE: Rule(quorum=Fraction(2, 3), majority=Fraction(1, 2)),
    DecisionType.EXEMPLAR: Rule(quorum=Fraction(2, 3), majority=Fraction(2, 3), inclusive=True),
}


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    counts: dict[str, int]


def tally(votes: Iterable[str], members: int, rule: Rule) -> Result:
    """Count the choices and apply the rule: no quorum, approved or rejected."""
    counts = Counter({choice.value: 0 for choice in Choice})
    counts.update(Choice(vote).value for vote in votes)
    counts = dict(counts)
    cast = sum(counts.values())
    if members <= 0 or Fraction(cast, members) < rule.quorum:
        return Result(Outcome.NO_QUORUM, counts)
    decisive = counts["approve"] + counts["reject"]
    share = Fraction(counts["approve"], decisive) if decisive else Fraction(0)
    passed = share >= rule.majority if rule.inclusive else share > rule.majority
    return Result(Outcome.APPROVED if passed and decisive else Outcome.REJECTED, counts)


@dataclass(frozen=True)
class Conclusion:
    outcome: Outcome
    counts: dict[str, int]
    exemplar: bool


def conclude(votes: list[str], members: int, decision_type: str,
             rules: Mapping[str, Rule]) -> Conclusion:
    """An entry's conclusion: an exemplar proposal that misses its stricter majority may still
    recognise the model under the recognition rule."""
    result = tally(votes, members, rules[decision_type])
    if decision_type == DecisionType.EXEMPLAR and result.outcome == Outcome.REJECTED:
        fallback = tally(votes, members, rules[DecisionType.RECOGNISE])
        return Conclusion(fallback.outcome, fallback.counts, exemplar=False)
    exemplar = decision_type == DecisionType.EXEMPLAR and result.outcome == Outcome.APPROVED
    return Conclusion(result.outcome, result.counts, exemplar)


def parse_fraction(value) -> Fraction:
    """``"2/3"``, ``"0.5"`` or ``1`` as an exact fraction; a float is refused (it is not exact)."""
    if isinstance(value, bool | float):
        raise ValueError(f"write {value!r} as a string, e.g. \"2/3\"")
    return Fraction(value)


def rules_from_json(text: str | None) -> dict[str, Rule]:
    """The defaults, with any decision type overridden by ``{"type": {"quorum": "3/4",
    "majority": "1/2", "inclusive": false}}``."""
    rules = dict(DEFAULT_RULES)
    for name, given in (json.loads(text) if text and text.strip() else {}).items():
        decision_type = DecisionType(name)
        base = rules[decision_type]
        rules[decision_type] = Rule(
            quorum=parse_fraction(given.get("quorum", base.quorum)),
            majority=parse_fraction(given.get("majority", base.majority)),
            inclusive=bool(given.get("inclusive", base.inclusive)))
    return rules


def check_member(user: Identity, district_code: str | None = None) -> None:
    """Only the committee (and administrators) take part; another district's session is not theirs."""
    if user.role not in MEMBER_ROLES:
        raise NotPermitted()
    if district_code is not None and not covers_district(user, district_code):
        raise NotFound()


def is_chair(user: Identity) -> bool:
    """The chair (or an administrator) opens, closes and fills sessions."""
    return user.role in CHAIR_ROLES


def check_chair(user: Identity) -> None:
    if not is_chair(user):
        raise NotPermitted()


def check_status(actual: str, expected: SessionStatus) -> None:
    if actual != expected:
        raise InvalidTransition(f"session is {actual}, not {expected}")


# ---- what the committee's decisions set off -----------------------------------------------


@dataclass(frozen=True)
class ExemplarChosen(DomainEvent):
    """The vote chose an item's model as an exemplar; the item's decision is already recorded."""

    item_id: int
    session_id: int | None
    actor: Identity
