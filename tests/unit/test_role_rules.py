"""Roles and their areas: who is an administrator, a reviewer, a reader, and where they look."""

from __future__ import annotations

import json

import pytest

from shared.identity import (
    REVIEWERS,
    ROLES,
    STAGE_ROLES,
    Identity,
    Role,
    covers,
    covers_district,
    has_role,
    is_admin,
    is_inspector,
    is_reviewer,
    is_submitter,
    reads_commune,
    reads_district,
    reads_reports,
    works_in_commune,
)

DISTRICT, COMMUNE, ELSEWHERE, OTHER_COMMUNE = "con-cuong", "mon-son", "anh-son", "chau-khe"


def person(role: str, scope: str | None = None) -> Identity:
    return Identity(7, "Lô Thị Hoa", role, scope or (COMMUNE if role in LOCAL else DISTRICT))


LOCAL = ("submitter", "commune_reviewer")
EVERY = [role.value for role in Role]


def test_a_role_is_its_value_where_it_is_stored_or_sent():
    assert Role.ADMIN == "admin" and str(Role.COMMUNE_REVIEWER) == "commune_reviewer"
    assert json.dumps({Role.INSPECTOR: Role.VIEWER}) == '{"inspector": "viewer"}'
    assert Role("province_reviewer") is Role.PROVINCE_REVIEWER
    assert tuple(Role) == ROLES and set(ROLES) == set(EVERY)
    assert {"admin": 1}[Role.ADMIN] == 1  # labels and rows keyed by the text still find it


def test_a_session_written_before_the_enum_reads_the_same():
    identity = Identity.from_session({"id": 3, "name": "Ngân Thị Mai", "role": "district_reviewer",
                                      "scope": DISTRICT, "epoch": 0})
    assert identity.role == Role.DISTRICT_REVIEWER and is_reviewer(identity)
    assert Identity.from_session(identity.to_session()) == identity


@pytest.mark.parametrize("role", EVERY)
def test_only_the_administrator_is_one(role):
    assert is_admin(person(role)) is (role == "admin")


@pytest.mark.parametrize("role", EVERY)
def test_only_a_units_submitter_is_a_submitter_and_only_an_inspector_an_inspector(role):
    assert is_submitter(person(role)) is (role == "submitter")
    assert is_inspector(person(role)) is (role == "inspector")


@pytest.mark.parametrize(("role", "reviews"), [
    ("commune_reviewer", True), ("district_reviewer", True), ("committee_member", True),
    ("committee_chair", True), ("province_reviewer", True),
    ("submitter", False), ("inspector", False), ("viewer", False),
    ("admin", False),  # acts at every stage, but is not one of a stage's reviewers
])
def test_the_reviewers_are_those_who_work_a_stage(role, reviews):
    assert is_reviewer(person(role)) is reviews
    assert (role in REVIEWERS) is reviews
    assert any(role in roles for roles in STAGE_ROLES.values()) is reviews


@pytest.mark.parametrize(("role", "stage", "works"), [
    ("commune_reviewer", "commune", True), ("commune_reviewer", "district", False),
    ("district_reviewer", "district", True), ("district_reviewer", "committee", False),
    ("committee_member", "committee", True), ("committee_chair", "committee", True),
    ("province_reviewer", "province", True), ("province_reviewer", "commune", False),
    ("admin", "commune", True), ("admin", "province", True),
    ("viewer", "district", False), ("inspector", "district", False), ("submitter", "commune", False),
    ("district_reviewer", "mayor", False), ("admin", "mayor", True),
])
def test_a_stage_is_worked_by_its_roles_and_administrators(role, stage, works):
    assert person(role).works_stage(stage) is works


@pytest.mark.parametrize(("role", "reads"), [
    *((role, True) for role in EVERY if role != "submitter"),
    ("submitter", False),  # a unit sees its dues, not its area's reports
    ("mayor", False),  # a role nobody knows reads nothing
])
def test_everyone_but_a_unit_reads_the_reports(role, reads):
    assert reads_reports(person(role)) is reads


@pytest.mark.parametrize(("role", "roles", "passes"), [
    ("district_reviewer", ("district_reviewer",), True),
    ("committee_chair", ("district_reviewer",), False),
    ("admin", ("district_reviewer",), True),  # administrators pass every role check
    ("admin", (), True),
    ("viewer", REVIEWERS, False),
])
def test_a_role_check_lets_the_role_and_administrators_through(role, roles, passes):
    assert has_role(person(role), roles) is passes


@pytest.mark.parametrize("role", EVERY)
def test_every_role_reads_exactly_one_kind_of_area(role):
    user = person(role)
    assert [is_admin(user), reads_commune(user), reads_district(user)].count(True) == 1
    assert reads_commune(user) is works_in_commune(role) is (role in LOCAL)


def test_a_role_nobody_knows_is_held_to_a_district():
    assert reads_district(person("mayor")) and not reads_commune(person("mayor"))


@pytest.mark.parametrize(("role", "scope", "commune", "district", "inside"), [
    ("admin", DISTRICT, OTHER_COMMUNE, ELSEWHERE, True),  # everywhere
    ("commune_reviewer", COMMUNE, COMMUNE, DISTRICT, True),
    ("commune_reviewer", COMMUNE, OTHER_COMMUNE, DISTRICT, False),  # the district's other commune
    ("commune_reviewer", COMMUNE, None, DISTRICT, False),  # the district's business, not a commune's
    ("submitter", COMMUNE, COMMUNE, DISTRICT, True),
    ("submitter", COMMUNE, OTHER_COMMUNE, DISTRICT, False),
    ("district_reviewer", DISTRICT, OTHER_COMMUNE, DISTRICT, True),  # any commune of the district
    ("district_reviewer", DISTRICT, COMMUNE, ELSEWHERE, False),
    ("committee_chair", DISTRICT, None, DISTRICT, True),
    ("province_reviewer", DISTRICT, COMMUNE, DISTRICT, True),
    ("viewer", DISTRICT, COMMUNE, ELSEWHERE, False),
    ("inspector", DISTRICT, COMMUNE, DISTRICT, True),
    ("inspector", DISTRICT, COMMUNE, None, False),
])
def test_a_place_is_covered_by_its_commune_s_people_its_district_s_and_administrators(
        role, scope, commune, district, inside):
    assert covers(person(role, scope), commune, district) is inside


@pytest.mark.parametrize(("role", "district", "inside"), [
    ("admin", ELSEWHERE, True), ("admin", None, True),
    ("district_reviewer", DISTRICT, True), ("district_reviewer", ELSEWHERE, False),
    ("committee_member", DISTRICT, True), ("committee_member", None, False),
    ("commune_reviewer", DISTRICT, False),  # a commune's reviewer is not the district's
    ("submitter", DISTRICT, False),
])
def test_a_districts_business_is_its_peoples_and_the_administrators(role, district, inside):
    assert covers_district(person(role), district) is inside
