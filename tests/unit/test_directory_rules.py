"""The org tree keeps its history: Con Cuông's 2024 units roll up into the 2025 communes."""

from __future__ import annotations

from datetime import date

import pytest

from intake_service.directory import domain
from intake_service.directory.con_cuong import COMMUNES, COMMUNES_2025, org_units
from intake_service.directory.domain import Directory, OrgUnitState

H1_2024 = date(2024, 6, 30)
EARLY_2025 = date(2025, 3, 1)
H2_2025 = date(2025, 12, 31)


@pytest.fixture
def con_cuong() -> Directory:
    return Directory(org_units())


def unit(code="x", level="commune", parent="con-cuong", start=date(2024, 1, 1), end=None,
         successor=None) -> OrgUnitState:
    return OrgUnitState(code, code.title(), level, start, parent, end, successor)


def test_the_con_cuong_history_breaks_no_rule(con_cuong):
    assert {code: con_cuong.problems(code) for code in con_cuong.units
            if con_cuong.problems(code)} == {}


def test_the_2024_units_are_the_district_s_township_and_twelve_communes(con_cuong):
    active = {u.code for u in con_cuong.children("con-cuong") if u.active_on(H1_2024)}
    assert active == set(COMMUNES)
    assert con_cuong.units["tt-con-cuong"].level == "township"


def test_a_unit_is_active_from_its_first_to_its_last_day_inclusive(con_cuong):
    tt = con_cuong.units["tt-con-cuong"]
    assert tt.active_on(date(2024, 12, 31)) and not tt.active_on(date(2025, 1, 1))
    assert not tt.active_on(date(2023, 12, 31))
    assert con_cuong.units["con-cuong-2025"].active_on(date(2030, 1, 1))


def test_a_2024_unit_keeps_its_own_data_on_a_2024_date(con_cuong):
    assert con_cuong.roll_up("bong-khe", H1_2024) == "bong-khe"


@pytest.mark.parametrize(("old", "on_date", "holder"), [
    ("tt-con-cuong", EARLY_2025, "tra-lan"),
    ("bong-khe", EARLY_2025, "tra-lan"),
    ("chi-khe-tien-thanh", EARLY_2025, "tra-lan"),
    ("chi-khe", EARLY_2025, "chi-khe"),
    ("tt-con-cuong", H2_2025, "con-cuong-2025"),
    ("chi-khe", H2_2025, "con-cuong-2025"),
    ("yen-khe", H2_2025, "con-cuong-2025"),
    ("luc-da", H2_2025, "mon-son-2025"),
    ("mau-duc", H2_2025, "mau-thach-2025"),
    ("don-phuc", H2_2025, "cam-phuc-2025"),
    ("lang-khe", H2_2025, "chau-khe-2025"),
    ("binh-chuan", H2_2025, "binh-chuan-2025"),
])
def test_an_old_unit_rolls_up_into_the_unit_holding_its_area_later(con_cuong, old, on_date, holder):
    assert con_cuong.roll_up(old, on_date) == holder


def test_the_new_con_cuong_commune_gathers_all_its_predecessors(con_cuong):
    assert con_cuong.predecessors("con-cuong-2025") == {
        "tra-lan", "tt-con-cuong", "bong-khe", "chi-khe-tien-thanh", "chi-khe", "yen-khe"}


@pytest.mark.parametrize(("new", "old"), [
    (code, set(old) - {"tra-lan"}) for code, (_name, old) in COMMUNES_2025.items()
    if code != "con-cuong-2025"
])
def test_every_2025_commune_gathers_the_2024_communes_it_replaced(con_cuong, new, old):
    assert con_cuong.predecessors(new) == old


def test_after_july_2025_every_2024_unit_has_a_2025_commune(con_cuong):
    holders = {con_cuong.roll_up(code, H2_2025) for code in COMMUNES}
    assert holders == set(COMMUNES_2025)


def test_a_unit_without_predecessors_has_none(con_cuong):
    assert con_cuong.predecessors("yen-khe") == set()


@pytest.mark.parametrize(("broken", "problem"), [
    (unit(level="province"), domain.LEVEL_NOT_BELOW_PARENT),
    (unit(level="district"), domain.LEVEL_NOT_BELOW_PARENT),
    (unit(level="hamlet"), domain.UNKNOWN_LEVEL),
    (unit(parent="nowhere"), domain.UNKNOWN_PARENT),
    (unit(parent="x"), domain.PARENT_OF_ITSELF),
    (unit(start=date(2025, 1, 1), end=date(2024, 12, 31)), domain.DATES_OUT_OF_ORDER),
    (unit(successor="nowhere", end=date(2024, 12, 31)), domain.UNKNOWN_SUCCESSOR),
    (unit(successor="tra-lan"), domain.SUCCESSOR_WITHOUT_END),
    (unit(successor="con-cuong-2025", end=date(2024, 12, 31)), domain.SUCCESSOR_NOT_ACTIVE_NEXT_DAY),
])
def test_a_unit_breaking_a_rule_is_told_which(con_cuong, broken, problem):
    assert problem in con_cuong.with_units([broken]).problems("x")


def test_a_successor_loop_is_refused_and_roll_up_stays_put():
    a = unit("a", end=date(2024, 12, 31), successor="b", parent=None, level="province")
    b = unit("b", end=date(2024, 12, 31), successor="a", parent=None, level="province")
    loop = Directory([a, b])
    assert domain.SUCCESSOR_CYCLE in loop.problems("a")
    assert loop.roll_up("a", H2_2025) == "a"


def test_a_village_sits_below_its_commune(con_cuong):
    assert con_cuong.problems("chi-khe-tien-thanh") == []
    village_over_commune = unit(level="commune", parent="chi-khe-tien-thanh")
    assert domain.LEVEL_NOT_BELOW_PARENT in con_cuong.with_units([village_over_commune]).problems("x")
