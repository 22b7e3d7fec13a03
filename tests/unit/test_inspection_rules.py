"""Inspection rules as the district would state them: who may inspect what, how work is
spread between teams, and how the random sample is drawn."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review_service.inspections import allocation as assignment
from review_service.inspections import config, domain, sampling
from review_service.inspections.allocation import Refused, Team
from review_service.inspections.domain import Member, Target
from shared.errors import InvalidInput, NotFound, NotPermitted
from shared.identity import Identity

pytestmark = pytest.mark.unit

COMMUNES = ("mon-son", "chau-khe", "luc-da", "yen-khe", "binh-chuan")
FIELDS = ("economy", "culture_society", "new_rural", "defense_security", "political_system")
UNITS = ("Hội LHPN xã Môn Sơn", "Đoàn TN xã Châu Khê", "Hội Nông dân xã Lục Dạ", None)

members = st.builds(Member, user_id=st.integers(1, 60), name=st.sampled_from(("An", "Bình", "Chi")),
                    home_commune=st.sampled_from(COMMUNES), unit_name=st.sampled_from(UNITS))
teams = st.lists(st.builds(
    Team, id=st.integers(1, 1000), name=st.just("Đoàn"),
    communes=st.frozensets(st.sampled_from(COMMUNES), max_size=len(COMMUNES)),
    members=st.lists(members, max_size=5).map(tuple), open_load=st.integers(0, 20),
), max_size=6, unique_by=lambda t: t.id)
targets = st.builds(Target, commune_code=st.sampled_from(COMMUNES), unit_name=st.sampled_from(UNITS))


def team(team_id: int, communes, *people: Member, load: int = 0) -> Team:
    return Team(team_id, f"Đoàn {team_id}", frozenset(communes), tuple(people), load)


HOA = Member(1, "Lô Thị Hoa", "mon-son", "Hội LHPN xã Môn Sơn")
TAM = Member(2, "Vi Văn Tâm", "chau-khe", "Đoàn TN xã Châu Khê")
KIEM = Member(3, "Kha Văn Kiểm", "yen-khe", None)


# Conflict of interest and coverage ---------------------------------------------------------

def test_a_member_from_the_inspected_commune_never_inspects_it():
    assert domain.conflicts(HOA, Target("mon-son"))
    assert not domain.conflicts(HOA, Target("chau-khe"))


def test_a_member_of_the_owning_unit_conflicts_however_its_name_was_typed():
    target = Target("luc-da", "  hội lhpn XÃ môn   sơn ")
    assert domain.conflicts(HOA, target)
    assert not domain.conflicts(KIEM, target)  # no unit given: only the commune counts


@settings(max_examples=300)
@given(teams, targets)
def test_every_assignment_covers_the_commune_and_sends_nobody_with_a_conflict(all_teams, target):
    chosen = assignment.choose(all_teams, target)
    if chosen is None:  # then truly no team was eligible
        for candidate in all_teams:
            assert target.commune_code not in candidate.communes or all(
                domain.conflicts(m, target) for m in candidate.members)
        return
    assert target.commune_code in chosen.team.communes
    assert chosen.inspectors
    assert not any(domain.conflicts(m, target) for m in chosen.inspectors)
    # everyone on the team without a conflict goes, and no one from outside it
    assert set(chosen.inspectors) == {m for m in chosen.team.members
                                      if not domain.conflicts(m, target)}


@settings(max_examples=300)
@given(teams, targets)
def test_the_least_loaded_eligible_team_gets_the_task_ties_to_the_oldest_team(all_teams, target):
    found = assignment.eligible(all_teams, target)
    chosen = assignment.choose(all_teams, target)
    if not found:
        assert chosen is None
        return
    assert (chosen.team.open_load, chosen.team.id) == min((a.team.open_load, a.team.id)
                                                          for a in found)
    assert assignment.choose(list(reversed(all_teams)), target) == chosen  # order does not matter


def test_work_spreads_over_covering_teams_as_tasks_come_in():
    teams_now = [team(1, ["luc-da"], KIEM), team(2, ["luc-da"], TAM), team(3, ["chau-khe"], HOA)]
    given_to = []
    for _ in range(6):
        chosen = assignment.choose(teams_now, Target("luc-da"))
        given_to.append(chosen.team.id)
        teams_now = [Team(t.id, t.name, t.communes, t.members,
                          t.open_load + (t.id == chosen.team.id)) for t in teams_now]
    assert given_to == [1, 2, 1, 2, 1, 2]  # team 3 does not cover Lục Dạ


def test_a_team_whose_every_member_conflicts_is_not_eligible():
    everyone_local = team(1, ["mon-son"], HOA, Member(4, "Lương Văn Thắng", "mon-son"))
    with pytest.raises(Refused) as refused:
        assignment.check_team(everyone_local, Target("mon-son"))
    assert refused.value.reason == "all_conflicted"
    mixed = team(2, ["mon-son"], HOA, KIEM, load=9)
    assert assignment.choose([everyone_local, mixed], Target("mon-son")).inspectors == (KIEM,)


@pytest.mark.parametrize(("candidate", "reason"), [
    (team(1, ["chau-khe"], KIEM), "not_covering"),
    (team(1, ["mon-son"]), "no_members"),
    (team(1, ["mon-son"], HOA), "all_conflicted"),
])
def test_a_reassignment_is_refused_with_its_reason(candidate, reason):
    with pytest.raises(Refused) as refused:
        assignment.check_team(candidate, Target("mon-son", "Hội LHPN xã Môn Sơn"))
    assert refused.value.reason == reason


# The sample -----------------------------------------------------------------------------------

population = st.lists(st.builds(sampling.Candidate, item_id=st.integers(1, 10_000),
                                commune_code=st.sampled_from(COMMUNES),
                                field=st.sampled_from(FIELDS)),
                      max_size=200, unique_by=lambda c: c.item_id)
shares = st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=100)


@settings(max_examples=200)
@given(population, shares, st.integers(0, 2**31))
def test_each_non_empty_stratum_gets_its_share_rounded_up(found, share, seed):
    sample = set(sampling.draw(found, share, seed))
    assert sample <= {c.item_id for c in found}
    sizes = Counter((c.commune_code, c.field) for c in found)
    drawn = Counter((c.commune_code, c.field) for c in found if c.item_id in sample)
    for stratum, size in sizes.items():
        assert drawn[stratum] >= 1  # no stratum with a model is skipped
        assert drawn[stratum] == min(size, -(-share * size // 1))  # ceil(share × size)


@settings(max_examples=200)
@given(population, shares, st.integers(0, 2**31), st.randoms())
def test_the_same_seed_and_population_give_the_same_sample_in_any_order(found, share, seed, rnd):
    shuffled = list(found)
    rnd.shuffle(shuffled)
    assert sampling.draw(found, share, seed) == sampling.draw(shuffled, share, seed)


def test_a_different_seed_usually_gives_a_different_sample():
    found = [sampling.Candidate(n, COMMUNES[n % 5], FIELDS[n // 5 % 5]) for n in range(1, 501)]
    samples = {tuple(sampling.draw(found, Fraction(1, 10), seed)) for seed in range(20)}
    assert len(samples) == 20


def test_a_strata_draw_does_not_move_when_another_stratum_changes():
    mon_son = [sampling.Candidate(n, "mon-son", "economy") for n in range(1, 31)]
    chau_khe = [sampling.Candidate(n, "chau-khe", "economy") for n in range(100, 110)]
    alone = sampling.draw(mon_son, Fraction(1, 10), 42)
    together = sampling.draw(mon_son + chau_khe, Fraction(1, 10), 42)
    assert set(alone) <= set(together) and len(together) == 4  # 3 of 30, 1 of 10


@pytest.mark.parametrize(("text", "share"), [
    (None, Fraction(1, 10)), ("", Fraction(1, 10)), ("0.25", Fraction(1, 4)),
    ("15%", Fraction(3, 20)), ("1/3", Fraction(1, 3)), ("1", Fraction(1)),
])
def test_the_sample_share_is_read_exactly(text, share):
    assert sampling.parse_share(text) == share


@pytest.mark.parametrize("text", ["0", "-0.1", "1.5", "120%", "nhiều"])
def test_a_share_outside_zero_to_one_is_refused(text):
    with pytest.raises(ValueError):
        sampling.parse_share(text)


# Checklist, conclusion, deadlines, who may do what -------------------------------------------

def test_the_checklist_defaults_to_five_criteria_and_can_be_configured():
    assert list(config.from_env({}).criteria) == ["exists", "activities", "results", "people",
                                                  "records"]
    configured = config.from_env({"DVK_INSPECTION_CRITERIA": json.dumps(
        ["Có biển hiệu mô hình", {"code": "so_sach", "label": "Sổ sách ghi chép đầy đủ"}]),
        "DVK_INSPECTION_DUE_DAYS": "14", "DVK_INSPECTION_SAMPLE_SHARE": "20%"})
    assert configured.criteria == {"c1": "Có biển hiệu mô hình",
                                   "so_sach": "Sổ sách ghi chép đầy đủ"}
    assert configured.due == timedelta(days=14)
    assert configured.sample_share == Fraction(1, 5)


@pytest.mark.parametrize("text", ["[]", "{}", '[{"code": "Có dấu"}]', '["a", "a"]', '[""]'])
def test_a_broken_checklist_configuration_is_refused(text):
    with pytest.raises(ValueError):
        config.criteria_from_json(text)


CRITERIA = ["exists", "results"]


def test_a_conclusion_needs_an_outcome_findings_and_every_criterion_answered():
    with pytest.raises(InvalidInput) as invalid:
        domain.check_conclusion("", "  ", {"exists": "met"}, CRITERIA)
    assert set(invalid.value.errors) == {"outcome", "findings", "checklist"}
    domain.check_conclusion("partly_verified", "Mô hình có hoạt động.",
                            {"exists": "met", "results": "not_met"}, CRITERIA)


def test_verified_cannot_stand_on_a_criterion_that_was_not_met():
    with pytest.raises(InvalidInput) as invalid:
        domain.check_conclusion("verified", "Đã kiểm tra.", {"exists": "met", "results": "not_met"},
                                CRITERIA)
    assert invalid.value.errors == {"outcome": ["contradicts"]}


def test_an_open_task_past_its_due_time_is_overdue_and_a_concluded_one_never_is():
    now = datetime(2026, 11, 26, tzinfo=UTC)
    assert domain.is_overdue("assigned", now - timedelta(minutes=1), now)
    assert not domain.is_overdue("assigned", now + timedelta(days=1), now)
    assert not domain.is_overdue("concluded", now - timedelta(days=9), now)
    assert not domain.is_overdue("unassigned", None, now)


def person(role: str, scope: str = "con-cuong", user_id: int = 7) -> Identity:
    return Identity(id=user_id, name="Người dùng", role=role, scope=scope)


def test_an_inspector_sees_and_concludes_only_the_tasks_naming_them():
    assert domain.may_see(person("inspector"), "con-cuong", [7, 8])
    assert not domain.may_see(person("inspector"), "con-cuong", [8])
    domain.check_inspector(person("inspector"), [7])
    with pytest.raises(NotPermitted):
        domain.check_inspector(person("inspector"), [8])
    with pytest.raises(NotPermitted):
        domain.check_inspector(person("district_reviewer"), [7])


def test_planners_work_in_their_own_district_only():
    assert domain.may_see(person("district_reviewer"), "con-cuong", [])
    assert not domain.may_see(person("district_reviewer", "anh-son"), "con-cuong", [])
    assert not domain.may_see(person("submitter", "mon-son"), "con-cuong", [])
    with pytest.raises(NotFound):
        domain.check_planner(person("committee_chair", "anh-son"), "con-cuong")
    with pytest.raises(NotPermitted):
        domain.check_planner(person("commune_reviewer", "mon-son"))
