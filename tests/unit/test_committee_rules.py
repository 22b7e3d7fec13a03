"""The steering committee's voting rules, as its regulation would state them."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from review_service.committee import config
from review_service.committee.domain import (
    DEFAULT_RULES,
    Outcome,
    Rule,
    check_member,
    conclude,
    rules_from_json,
    tally,
)
from shared.errors import NotFound, NotPermitted
from shared.identity import Identity

RECOGNISE, EXEMPLAR = DEFAULT_RULES["recognise"], DEFAULT_RULES["exemplar"]


def votes(approve: int = 0, reject: int = 0, abstain: int = 0) -> list[str]:
    return ["approve"] * approve + ["reject"] * reject + ["abstain"] * abstain


def test_two_thirds_of_the_members_voting_is_a_quorum_and_one_fewer_is_not():
    assert tally(votes(approve=6), 9, RECOGNISE).outcome == Outcome.APPROVED
    assert tally(votes(approve=5), 9, RECOGNISE).outcome == Outcome.NO_QUORUM
    # 2/3 of 7 is 4.67: exact fractions need 5, where a rounded float might let 4.67 pass as 4.
    assert tally(votes(approve=4), 7, RECOGNISE).outcome == Outcome.NO_QUORUM
    assert tally(votes(approve=5), 7, RECOGNISE).outcome == Outcome.APPROVED


def test_abstentions_make_the_quorum_but_do_not_count_toward_the_majority():
    result = tally(votes(approve=2, reject=1, abstain=3), 9, RECOGNISE)
    assert result.outcome == Outcome.APPROVED
    assert result.counts == {"approve": 2, "reject": 1, "abstain": 3}
    assert tally(votes(approve=1, reject=1, abstain=4), 9, RECOGNISE).outcome == Outcome.REJECTED


def test_everyone_abstaining_approves_nothing():
    assert tally(votes(abstain=6), 9, RECOGNISE).outcome == Outcome.REJECTED


def test_a_tie_does_not_pass_a_strict_majority():
    assert tally(votes(approve=3, reject=3), 9, RECOGNISE).outcome == Outcome.REJECTED


def test_an_exemplar_needs_at_least_two_thirds_of_the_votes_cast():
    assert tally(votes(approve=4, reject=2), 9, EXEMPLAR).outcome == Outcome.APPROVED
    assert tally(votes(approve=3, reject=2, abstain=1), 9, EXEMPLAR).outcome == Outcome.REJECTED


def test_an_exemplar_proposal_short_of_its_majority_may_still_recognise_the_model():
    rules = dict(DEFAULT_RULES)
    short = conclude(votes(approve=3, reject=2, abstain=1), 9, "exemplar", rules)
    assert (short.outcome, short.exemplar) == (Outcome.APPROVED, False)
    chosen = conclude(votes(approve=5, reject=1), 9, "exemplar", rules)
    assert (chosen.outcome, chosen.exemplar) == (Outcome.APPROVED, True)
    recognised = conclude(votes(approve=6), 9, "recognise", rules)
    assert recognised.exemplar is False


def test_rules_per_decision_type_come_from_configuration_with_defaults_for_the_rest():
    text = json.dumps({"recognise": {"quorum": "1/2", "majority": "3/5", "inclusive": True}})
    rules = config.from_env({"DVK_COMMITTEE_RULES": text})
    assert rules["recognise"] == Rule(Fraction(1, 2), Fraction(3, 5), inclusive=True)
    assert rules["exemplar"] == EXEMPLAR
    assert tally(votes(approve=3, reject=2), 10, rules["recognise"]).outcome == Outcome.APPROVED
    assert tally(votes(approve=3, reject=2), 10, RECOGNISE).outcome == Outcome.NO_QUORUM
    assert config.from_env({}) == DEFAULT_RULES


@pytest.mark.parametrize("text", [
    '{"recognise": {"quorum": 0.5}}',  # a float is not exact
    '{"recognise": {"quorum": "0"}}',
    '{"recognise": {"majority": "3/2"}}',
    '{"award": {"quorum": "1/2"}}',
])
def test_a_bad_rule_in_configuration_is_refused(text):
    with pytest.raises(ValueError):
        rules_from_json(text)


def test_only_the_committee_takes_part_and_only_in_its_own_district():
    check_member(Identity(1, "Bình", "committee_member", "con-cuong"), "con-cuong")
    with pytest.raises(NotPermitted):
        check_member(Identity(2, "Mai", "district_reviewer", "con-cuong"), "con-cuong")
    with pytest.raises(NotFound):
        check_member(Identity(3, "Khác", "committee_member", "anh-son"), "con-cuong")
