"""The Con Cuông demo data adds up to the seed report before anything is loaded: the models by
field and subject type, their units and people, the contributions, the villages, the committee."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from demo import con_cuong as data
from intake_service.directory.con_cuong import org_units
from intake_service.directory.domain import Directory
from shared.catalog import INDICATORS
from shared.identity import ROLES

pytestmark = pytest.mark.unit


def test_the_models_are_the_seeds_177_by_field_and_subject_type():
    counted = Counter((m.subject_type, m.field) for m in data.MODELS)
    assert len(data.MODELS) == 177
    assert counted == {(subject, field_): n for subject, by_field in data.MODELS_BY_FIELD.items()
                       for field_, n in by_field.items()}
    assert len({m.unit_code for m in data.MODELS if m.subject_type == "collective"}) == 27
    assert len({m.person_name for m in data.MODELS if m.subject_type == "individual"}) == 73
    assert len({m.title for m in data.MODELS}) == 177  # no two alike, not even as first sent
    assert len({m.as_entered(first=True)["title"] for m in data.MODELS}) == 177


def test_every_model_is_registered_by_a_unit_of_its_own_commune():
    users = {u.username: u for u in data.USERS}
    for model in data.MODELS:
        assert users[model.submitter].role == "submitter"
        assert users[model.submitter].scope == model.commune_code
        assert model.village in {name for _code, name in data.VILLAGES[model.commune_code]}
    assert {m.commune_code for m in data.MODELS} == set(data.VILLAGE_COUNTS)


def test_the_new_rural_reports_add_up_to_the_seeds_contributions_exactly():
    totals = Counter()
    for report in data.REPORTS:
        assert data.MODEL_BY_KEY[report.model_key].field == "new_rural"
        for code, value in report.figures.items():
            places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
            assert value > 0 and places <= INDICATORS[code].decimals
            totals[code] += value
    assert dict(totals) == data.CONTRIBUTIONS
    returned = next(r for r in data.REPORTS if r.model_key == data.RETURNED_REPORT)
    assert returned.first_figures != returned.figures


@pytest.mark.parametrize(("value", "typed"), [
    (Decimal(1_139_000_000), "1.139.000.000"), (Decimal("12.5"), "12,5"), (Decimal(8524), "8.524"),
    (Decimal("31.50"), "31,5"), (Decimal(7), "7")])
def test_figures_are_typed_the_vietnamese_way(value, typed):
    assert data.typed(value) == typed


def test_the_district_has_115_villages_that_roll_up_with_their_communes():
    villages = data.village_units()
    assert sum(len(v) for v in data.VILLAGES.values()) == data.VILLAGE_TOTAL == 115
    assert len(villages) == 114  # Tiến Thành is already in the org tree
    tree = Directory([*org_units(), *villages])
    assert all(not tree.problems(v.code) for v in villages)
    assert tree.roll_up("tt-con-cuong-v01", date(2025, 3, 1)) == "tra-lan"
    assert tree.roll_up("mon-son-v01", date(2025, 8, 1)) == "mon-son-2025"


def test_every_role_has_a_user_and_the_committee_has_twenty_members():
    roles = Counter(u.role for u in data.USERS)
    assert set(roles) == set(ROLES)
    assert roles["committee_member"] + roles["committee_chair"] == data.COMMITTEE_SIZE == 20
    assert len({u.username for u in data.USERS}) == len(data.USERS)
    names = [u.name.split(" — ")[0] for u in data.USERS if u.role != "submitter"]
    assert len(set(names)) == len(names)
    for sitting in data.SESSIONS:  # more than two thirds of the committee vote at every session
        assert data.COMMITTEE_SIZE - len(sitting.absent) >= 14
