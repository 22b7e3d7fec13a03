"""A comment or a name that looks like a formula reaches the spreadsheet as the text it is."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from review_service.audit.export import workbook
from shared import spreadsheets

ATTACKS = ['=HYPERLINK("http://evil.example","bấm")', "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(1+1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_that_starts_like_a_formula_is_risky(text):
    assert spreadsheets.risky(text)


@pytest.mark.parametrize("value", ["Mô hình bản Xiềng", "", 12, None, "1.139.000.000 đ", "a=b"])
def test_ordinary_values_are_left_alone(value):
    assert not spreadsheets.risky(value)


def test_a_csv_row_gets_the_apostrophe_spreadsheets_read_as_text():
    assert spreadsheets.csv_row(["=1+1", "Bản Khe Ló", 3]) == ["'=1+1", "Bản Khe Ló", 3]


def test_the_audit_export_writes_a_formula_like_comment_as_text():
    entry = SimpleNamespace(at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC), item_id=7,
                            actor_name="=cmd()", action="return", from_status="open",
                            to_status="returned", from_stage="commune", to_stage="commune",
                            comment=ATTACKS[0])
    data = workbook([(entry, "@tên mô hình", "Môn Sơn", "registration")], ["h"] * 12)
    row = next(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(min_row=2))
    texts = {cell.value: cell.data_type for cell in row}
    assert texts[ATTACKS[0]] == "s" and texts["=cmd()"] == "s" and texts["@tên mô hình"] == "s"
    assert texts[7] == "n"  # numbers stay numbers


def test_the_nominations_list_writes_a_formula_like_name_as_text():
    from review_service.nominations.documents import Nominee
    from review_service.nominations.documents import workbook as nominations_list

    nomination = SimpleNamespace(
        id=3, subject_name="=HYPERLINK(\"http://evil.example\")", subject_type="individual",
        models=[{"title": "+cmd|' /C calc'!A0"}], model_ids=[5], commune_name="Môn Sơn",
        level="district", commendation_type="", status="proposed", inspection_outcome=None,
        decision_number=None, decision_date=None, signer=None)
    data = nominations_list([Nominee(nomination, award_form_name="Giấy khen")])
    row = next(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(min_row=2))
    assert row[2].data_type == "s" and row[2].value.startswith("=HYPERLINK")
    assert row[4].data_type == "s"
