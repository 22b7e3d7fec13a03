"""Review's rules, as a reviewer would state them."""

from __future__ import annotations

import pytest

from review_service.queue.domain import Chain, Decision, ItemStatus, decide, may_review, reopen
from shared.errors import InvalidInput, InvalidTransition
from shared.identity import Identity

DEFAULT = Chain(("commune", "district", "committee"))
TWO_LEVEL = Chain.parse("commune,province")


def reviewer(role: str, scope: str) -> Identity:
    return Identity(id=9, name="Người xét duyệt", role=role, scope=scope)


def test_approval_at_each_stage_moves_the_item_on_and_the_committee_approves_it_finally():
    assert decide(DEFAULT, ItemStatus.OPEN, "commune", Decision.APPROVE, "").to_stage == "district"
    assert decide(DEFAULT, ItemStatus.OPEN, "district", Decision.APPROVE, "").to_stage == "committee"
    final = decide(DEFAULT, ItemStatus.OPEN, "committee", Decision.APPROVE, "")
    assert (final.status, final.name, final.to_stage) == (ItemStatus.APPROVED, "approved", None)


def test_the_two_level_chain_since_july_2025_goes_from_commune_straight_to_province():
    assert decide(TWO_LEVEL, ItemStatus.OPEN, "commune", Decision.APPROVE, "").to_stage == "province"
    assert decide(TWO_LEVEL, ItemStatus.OPEN, "province", Decision.APPROVE, "").name == "approved"


@pytest.mark.parametrize("decision", [Decision.RETURN, Decision.REJECT])
@pytest.mark.parametrize("comment", ["", "   ", "\n"])
def test_a_return_or_rejection_without_a_reason_is_refused(decision, comment):
    with pytest.raises(InvalidInput):
        decide(DEFAULT, ItemStatus.OPEN, "district", decision, comment)


def test_a_return_keeps_the_stage_so_the_resubmission_goes_back_there():
    returned = decide(DEFAULT, ItemStatus.OPEN, "district", Decision.RETURN, "Bổ sung số liệu")
    assert (returned.status, returned.stage) == (ItemStatus.RETURNED, "district")
    assert reopen(ItemStatus.RETURNED, "district", DEFAULT) == "district"


@pytest.mark.parametrize("status", [ItemStatus.APPROVED, ItemStatus.REJECTED,
                                    ItemStatus.RETURNED, ItemStatus.WITHDRAWN])
def test_only_open_items_can_be_decided(status):
    with pytest.raises(InvalidTransition):
        decide(DEFAULT, status, "commune", Decision.APPROVE, "")


def test_only_returned_items_can_be_reopened():
    with pytest.raises(InvalidTransition):
        reopen(ItemStatus.OPEN, None, DEFAULT)


@pytest.mark.parametrize("stages", ["", ",", "commune,commune"])
def test_a_chain_needs_distinct_stages(stages):
    with pytest.raises(ValueError):
        Chain.parse(stages)


@pytest.mark.parametrize(("user", "stage", "commune", "allowed"), [
    (reviewer("commune_reviewer", "mon-son"), "commune", "mon-son", True),
    (reviewer("commune_reviewer", "chau-khe"), "commune", "mon-son", False),
    (reviewer("commune_reviewer", "mon-son"), "district", "mon-son", False),
    (reviewer("district_reviewer", "con-cuong"), "district", "mon-son", True),
    (reviewer("district_reviewer", "con-cuong"), "commune", "mon-son", False),
    (reviewer("district_reviewer", "other-district"), "district", "mon-son", False),
    (reviewer("committee_member", "con-cuong"), "committee", "mon-son", True),
    (reviewer("committee_member", "con-cuong"), "district", "mon-son", False),
    (reviewer("submitter", "mon-son"), "commune", "mon-son", False),
])
def test_reviewers_decide_only_at_their_stage_and_inside_their_area(user, stage, commune, allowed):
    assert may_review(user, stage, commune, "con-cuong") is allowed
