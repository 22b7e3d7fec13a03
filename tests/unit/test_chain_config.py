"""Approval chains are chosen by rules an administrator can read, change and get checked."""

from __future__ import annotations

import json

import pytest

from review_service.chains.rules import Facts, InvalidConfig, Problem, parse, shipped

REGISTRATION = Facts(kind="registration", field="economy", subject_type="collective")


def chain_of(config, **facts) -> tuple[str, ...]:
    return config.choose(Facts(**({"kind": "registration", "field": "economy",
                                   "subject_type": "collective"} | facts))).stages


def test_the_shipped_three_level_chains_follow_the_movements_practice():
    config = shipped("three-level")
    assert chain_of(config) == ("commune", "district", "committee")
    assert chain_of(config, org_level="district") == ("district", "committee")  # a district agency
    assert chain_of(config, kind="result_report") == ("commune", "district")  # stops at district
    assert chain_of(config, kind="amendment") == ("commune", "district", "committee")


def test_the_shipped_two_level_chains_go_from_commune_to_province():
    config = shipped("two-level")
    assert chain_of(config) == ("commune", "province")
    assert chain_of(config, kind="result_report", field="new_rural") == ("commune", "province")
    assert config.stages == ("commune", "province")


def test_the_first_matching_rule_wins_and_a_rule_may_list_several_values():
    config = parse(json.dumps({"default": ["commune", "district"], "rules": [
        {"when": {"field": ["defense_security", "political_system"], "subject_type": "individual"},
         "stages": ["commune", "district", "committee"]},
        {"when": {"field": "defense_security"}, "stages": ["district"]},
    ]}))
    assert chain_of(config, field="defense_security", subject_type="individual") == \
        ("commune", "district", "committee")
    assert chain_of(config, field="political_system", subject_type="individual") == \
        ("commune", "district", "committee")
    assert chain_of(config, field="defense_security") == ("district",)
    assert chain_of(config, field="economy") == ("commune", "district")


@pytest.mark.parametrize(("text", "problem"), [
    ("{", "not JSON"),
    ("[]", "write an object"),
    ('{"default": []}', "default: a chain needs at least one stage"),
    ('{"default": ["commune", "mayor"]}', "unknown stage mayor"),
    ('{"default": ["commune", "commune"]}', "a stage appears twice"),
    ('{"default": ["commune"], "rules": [{"when": {"colour": "red"}, "stages": ["district"]}]}',
     "unknown condition colour"),
    ('{"default": ["commune"], "rules": [{"when": {}, "stages": ["district"]}]}', "rule 1"),
    ('{"default": ["commune"], "rules": [{"when": {"kind": "amendment"}, "stages": []}]}',
     "rule 1: a chain needs at least one stage"),
])
def test_a_configuration_that_cannot_work_is_refused_with_the_reason(text, problem):
    with pytest.raises(InvalidConfig) as refused:
        parse(text)
    assert any(problem in str(line) for line in refused.value.problems), refused.value.problems


def test_the_reasons_are_messages_to_translate_where_they_are_shown_not_text():
    with pytest.raises(InvalidConfig) as refused:
        parse('{"default": ["commune"], "rules": [{"when": {"kind": "amendment"}, "stages": []}]}')
    [problem] = refused.value.problems
    assert problem == Problem("%(where)s: a chain needs at least one stage",
                              {"where": Problem("rule %(number)s", {"number": 1})})
    assert str(problem) == "rule 1: a chain needs at least one stage"  # English, for logs


def test_a_configuration_reads_back_as_it_was_written():
    config = shipped("three-level")
    assert parse(config.to_json()) == config


def test_an_unknown_shipped_configuration_is_named_in_the_error():
    with pytest.raises(InvalidConfig, match="four-level"):
        shipped("four-level")
