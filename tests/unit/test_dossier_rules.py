"""What a commendation dossier holds and what holds a nomination back: Nghị định 152/2025's
defaults, or what an administrator configures."""

from __future__ import annotations

import json

import pytest

from review_service.nominations import dossier_rules

pytestmark = pytest.mark.unit


def test_unset_the_dossier_holds_todays_four_parts_and_three_holds():
    rules = dossier_rules.from_json(None)
    assert rules.parts[0].startswith("Tờ trình") and rules.parts[1].startswith("Biên bản họp")
    assert "xác nhận của cấp trình khen thưởng" in rules.parts[2] and len(rules.parts) == 4
    assert [hold.split()[2] for hold in rules.holds] == ["xem", "điều", "thư"]
    assert rules.deadlines == {}


def test_an_administrator_words_the_deadlines_and_keeps_the_default_parts():
    rules = dossier_rules.from_json(json.dumps({"deadlines": {"district": "20 ngày làm việc"}}))
    assert rules.deadlines == {"district": "20 ngày làm việc"}
    assert rules.parts == dossier_rules.DEFAULT_PARTS


@pytest.mark.parametrize("text", ["[]", '{"parts": []}', '{"holds": [1]}', '{"deadlines": {"ward": "5"}}',
                                  '{"forms": []}'])
def test_rules_not_in_the_expected_shape_are_refused(text):
    with pytest.raises(ValueError):
        dossier_rules.from_json(text)
