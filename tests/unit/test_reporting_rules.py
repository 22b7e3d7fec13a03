"""The report's rules: what a period covers, how the org tree rolls up, how figures are shaped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from intake_service.directory.con_cuong import org_units
from intake_service.reporting import domain, exports
from intake_service.reporting.domain import Delta, HolderRow, ModelRow, Tree

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def tree() -> Tree:
    return Tree(org_units())


def test_a_half_year_ends_on_30_june_and_a_year_on_31_december():
    assert domain.period_end("H1", 2024, date(2024, 6, 10)) == date(2024, 6, 30)
    assert domain.period_end("FY", 2024, date(2024, 12, 10)) == date(2024, 12, 31)
    assert domain.period_end("Q3", 2024, date(2024, 10, 5)) == date(2024, 10, 5)


def test_a_period_is_compared_with_the_same_kind_a_year_earlier():
    assert domain.previous_of("H1", 2024) == ("H1", 2023)
    assert domain.previous_of("FY", 2025) == ("FY", 2024)


def test_a_district_report_counts_its_thirteen_communes_and_the_township_formed_in_it_later(tree):
    communes = tree.communes("con-cuong")
    assert len(communes) == 14 and "mon-son" in communes and "tra-lan" in communes
    assert "con-cuong-2025" not in communes  # under the province: the district had ended


def test_a_2025_commune_counts_the_communes_merged_into_it_and_their_predecessors(tree):
    communes = set(tree.communes("con-cuong-2025"))
    # Trà Lân (from TT Con Cuông and Bồng Khê), Chi Khê and Yên Khê.
    assert {"tra-lan", "tt-con-cuong", "bong-khe", "chi-khe", "yen-khe"} <= communes
    assert "mon-son" not in communes


def test_a_commune_of_2024_rolls_up_to_the_unit_holding_its_area_on_a_later_day(tree):
    assert tree.roll_up("bong-khe", date(2024, 6, 30)) == "bong-khe"
    assert tree.roll_up("bong-khe", date(2025, 3, 1)) == "tra-lan"
    assert tree.roll_up("bong-khe", date(2025, 9, 1)) == "con-cuong-2025"


def test_the_country_report_groups_communes_by_province(tree):
    assert tree.row_of("mon-son", domain.COUNTRY, date(2024, 6, 30)) == "nghe-an"
    assert tree.row_of("mon-son", "con-cuong", date(2024, 6, 30)) == "mon-son"


@pytest.mark.parametrize(("role", "scope", "org", "allowed"), [
    ("viewer", "con-cuong", "con-cuong", True),
    ("viewer", "con-cuong", "mon-son", True),
    ("commune_reviewer", "mon-son", "mon-son", True),
    ("commune_reviewer", "mon-son", "con-cuong", False),
    ("commune_reviewer", "mon-son", "chau-khe", False),
    ("submitter", "mon-son", "mon-son", False),
    ("viewer", "con-cuong", domain.COUNTRY, False),
    ("admin", "con-cuong", domain.COUNTRY, True),
    ("commune_reviewer", "con-cuong-2025", "bong-khe", True),  # its predecessor's area is its own
])
def test_readers_see_reports_of_their_own_area(tree, role, scope, org, allowed):
    assert domain.may_see(tree, role, scope, org) is allowed


def test_the_seed_table_is_shaped_from_aggregate_rows_with_holders_summed_over_communes():
    models = [ModelRow("mon-son", "economy", "collective", 3),
              ModelRow("chau-khe", "economy", "collective", 2),
              ModelRow("mon-son", "new_rural", "individual", 4),
              ModelRow("mon-son", "unknown", "collective", 9)]
    holders = [HolderRow("mon-son", "collective", 2), HolderRow("chau-khe", "collective", 1),
               HolderRow("mon-son", "individual", 3)]
    total, rows = domain.shape_registered(models, holders)
    assert total.total == 9  # a field the catalogue does not know is left out
    assert total.by_subject["collective"].holders == 3
    assert total.by_subject["collective"].by_field["economy"] == 5
    assert total.field_total("new_rural") == 4
    assert rows["chau-khe"].total == 2 and rows["mon-son"].by_subject["individual"].holders == 3


def test_rows_are_gathered_under_the_unit_each_commune_rolls_up_to():
    models = [ModelRow("bong-khe", "economy", "collective", 1),
              ModelRow("tt-con-cuong", "economy", "collective", 2)]
    _total, rows = domain.shape_registered(models, [], row_of=lambda commune: "tra-lan")
    assert list(rows) == ["tra-lan"] and rows["tra-lan"].total == 3


def test_the_comparison_gives_each_headline_figure_its_change_and_direction():
    now, _rows = domain.shape_registered([ModelRow("a", "economy", "collective", 8)], [])
    before, _rows = domain.shape_registered([ModelRow("a", "economy", "collective", 10)], [])
    deltas = domain.compare(now, before)
    assert deltas["total"].change == -2 and deltas["total"].sign == "down"
    assert deltas["new_rural"].change == 0 and deltas["new_rural"].sign == ""
    assert domain.compare(now, None)["total"].change is None


def test_contributions_are_summed_exactly_and_compared_per_indicator():
    sums = domain.totals_of([("money_vnd", Decimal("1000000000")), ("money_vnd", Decimal("139000000")),
                             ("road_km", Decimal("1.5")), ("other", Decimal(5))],
                            ("money_vnd", "road_km"))
    assert sums == {"money_vnd": Decimal("1139000000"), "road_km": Decimal("1.5")}
    deltas = domain.compare_sums(sums, {"money_vnd": Decimal("1000000000")})
    assert deltas["money_vnd"].change == Decimal("139000000")
    assert deltas["road_km"].change == Decimal("1.5")
    assert Delta(Decimal(1), None).sign == ""


def test_review_status_puts_submitted_and_in_review_together_and_counts_the_overdue_among_them():
    status = domain.shape_status([("registration", "approved", False, 5),
                                  ("registration", "in_review", True, 2),
                                  ("registration", "submitted", False, 1),
                                  ("registration", "draft", False, 4),
                                  ("result_report", "returned", False, 1)])
    assert status["registration"].pending == 3 and status["registration"].overdue == 2
    assert status["registration"].total == 8  # drafts were never sent
    assert status["result_report"].returned == 1


def test_numbers_in_tables_are_written_the_vietnamese_way():
    cells = exports.number_cells([["Tập thể", 1139000000, Decimal("9952.000"), Decimal("1.5"), None]])
    assert cells == [["Tập thể", "1.139.000.000", "9.952", "1,5", ""]]
