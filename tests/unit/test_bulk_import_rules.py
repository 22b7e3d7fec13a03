"""Rules of the bulk import, row by row: a row is taken exactly when the registration form
would take it, each bad one is reported with its spreadsheet row and column, and a file is
judged by what it holds, not by its name."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from flask import Flask
from openpyxl import Workbook, load_workbook

from intake_service.bulk import reader, template
from intake_service.bulk.reader import BadWorkbook, read_rows
from intake_service.bulk.rows import COLUMNS, Row, cell_value, check_row, vocabulary
from shared.identity import Identity
from shared.settings import from_env
from shared.web import LANGUAGES, init_web

HOA = Identity(id=7, name="Lô Thị Hoa", role="submitter", scope="mon-son")
GOOD = {"title": "Hội LHPN xã Môn Sơn vận động hiến đất làm đường", "field": "new_rural",
        "subject_type": "collective"}


def filled(*rows: dict, commune: str = "mon-son") -> bytes:
    """The template as a submitter of ``commune`` downloads it, with ``rows`` typed in from row 3."""
    book = load_workbook(io.BytesIO(template.build(commune)))
    sheet = book.worksheets[0]
    keys = [cell.value for cell in sheet[reader.KEY_ROW]]
    for number, values in enumerate(rows, start=reader.FIRST_ROW):
        for key, value in values.items():
            sheet.cell(number, keys.index(key) + 1, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems(values: dict, user: Identity = HOA) -> list[tuple[int | None, str | None]]:
    _data, errors = check_row(Row(3, values), user, vocabulary())
    return [(error.row, error.field) for error in errors]


# ---- the template and how it reads back ------------------------------------------------------


def test_the_template_reads_back_its_rows_numbered_as_the_spreadsheet_numbers_them():
    rows = read_rows(filled(GOOD, {}, GOOD | {"title": "Chi hội Cựu chiến binh bản Khe Choăng"}))
    assert [row.number for row in rows] == [3, 5]  # row 4 is blank (only its commune is filled in)
    assert rows[1].values["title"] == "Chi hội Cựu chiến binh bản Khe Choăng"
    assert rows[0].values["commune_code"] == "mon-son"


def test_the_template_has_a_hidden_key_row_a_header_and_drop_downs():
    sheet = load_workbook(io.BytesIO(template.build("mon-son"))).worksheets[0]
    assert [cell.value for cell in sheet[2]] == list(COLUMNS)
    assert sheet.row_dimensions[2].hidden
    assert sheet["A1"].value == "Name of the model *" and sheet["A1"].comment is not None
    validated = {str(rule.sqref) for rule in sheet.data_validations.dataValidation}
    assert validated == {"B3:B2002", "C3:C2002"}


# ---- each row through the form's own schema ---------------------------------------------------


def test_a_good_row_is_taken_with_the_submitters_commune():
    data, errors = check_row(Row(3, GOOD | {"commune_code": None}), HOA, vocabulary())
    assert errors == [] and data["commune_code"] == "mon-son" and data["field"] == "new_rural"


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": "Mô"}, "title"),
    ({"title": None}, "title"),
    ({"field": "thể thao"}, "field"),
    ({"subject_type": None}, "subject_type"),
    ({"subject_type": "individual"}, "person_name"),
    ({"funding_vnd": "1,5 tỷ"}, "funding_vnd"),
    ({"funding_vnd": 1.5}, "funding_vnd"),
    ({"labour_days": -3}, "labour_days"),
    ({"commune_code": "nơi khác"}, "commune_code"),
    ({"commune_code": "chau-khe"}, "commune_code"),  # a real commune, but not hers
])
def test_a_bad_row_is_reported_with_its_row_number_and_column(changes, field):
    assert problems(GOOD | changes) == [(3, field)]


def test_every_problem_of_a_row_is_reported():
    assert sorted(problems({"title": "x", "field": "?", "subject_type": "?"})) == [
        (3, "field"), (3, "subject_type"), (3, "title")]


def test_numbers_and_dates_from_the_spreadsheet_read_as_typed():
    row = GOOD | {"funding_vnd": 1139000000, "labour_days": 8524.0, "timeline": date(2024, 6, 10),
                  "villages": 3, "situation": datetime(2024, 1, 2)}
    data, errors = check_row(Row(3, row), HOA, vocabulary())
    assert errors == []
    assert (data["funding_vnd"], data["labour_days"]) == (1_139_000_000, 8524)
    assert (data["timeline"], data["villages"], data["situation"]) == ("10/6/2024", "3", "2/1/2024")


def test_a_number_typed_the_vietnamese_way_is_taken():
    data, _errors = check_row(Row(3, GOOD | {"funding_vnd": "1.139.000.000"}), HOA, vocabulary())
    assert data["funding_vnd"] == 1_139_000_000


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), ("  ", None), (True, "TRUE"), (12.0, "12"), (2.5, "2.5"), ("Bản Xiềng", "Bản Xiềng"),
])
def test_a_cell_of_a_text_column_reads_as_text(value, expected):
    assert cell_value("villages", value) == expected


def test_fields_subject_types_and_communes_may_be_written_by_their_names():
    app = Flask(__name__)
    init_web(app, from_env({"DVK_DATA_DIR": "/nonexistent"}))
    with app.app_context():
        spelled = vocabulary(LANGUAGES, {"mon-son": "Xã Môn Sơn", "chau-khe": "Xã Châu Khê"})
    for field, subject, commune in (("Kinh tế", "Tập thể", "Xã Môn Sơn"),
                                    ("economy", "Collective", "Môn Sơn"),
                                    ("KINH TE", "tap the", "mon-son")):
        values = GOOD | {"field": field, "subject_type": subject, "commune_code": commune}
        data, errors = check_row(Row(3, values), HOA, spelled)
        assert errors == [], (field, subject, commune)
        assert (data["field"], data["subject_type"], data["commune_code"]) == \
            ("economy", "collective", "mon-son")


# ---- what is not a filled template ----------------------------------------------------------


def zipped(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("content", [
    b"title,field,subject_type\nHoi Nong dan,economy,collective\n",  # a CSV renamed .xlsx
    b"%PDF-1.7\n...",
    b"",
    b"PK\x03\x04 not really a zip",
    zipped("word/document.xml", b"<w:document/>"),  # a Word file renamed .xlsx
])
def test_a_file_that_is_not_a_workbook_is_refused_whatever_its_name(content):
    with pytest.raises(BadWorkbook) as refused:
        read_rows(content)
    assert refused.value.message is reader.NOT_XLSX


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(BadWorkbook) as refused:
        read_rows(b"PK\x03\x04" + b"0" * reader.MAX_BYTES)
    assert refused.value.message is reader.TOO_LARGE


def test_a_workbook_that_unzips_into_far_more_than_its_size_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (reader.MAX_UNZIPPED + 1))
    with pytest.raises(BadWorkbook) as refused:
        read_rows(out.getvalue())
    assert refused.value.message is reader.TOO_LARGE


def test_a_workbook_without_the_templates_key_row_is_refused():
    book = Workbook()
    book.active.append(["Tên mô hình", "Lĩnh vực", "Loại chủ thể"])
    book.active.append(["Hội Nông dân xã Môn Sơn", "economy", "collective"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(BadWorkbook) as refused:
        read_rows(out.getvalue())
    assert refused.value.message is reader.NOT_TEMPLATE


def test_an_empty_template_is_refused():
    with pytest.raises(BadWorkbook) as refused:
        read_rows(filled())
    assert refused.value.message is reader.NO_ROWS


def test_up_to_the_row_limit_is_taken_and_one_more_is_refused():
    rows = [GOOD | {"title": f"Mô hình số {n} của xã Môn Sơn"} for n in range(reader.MAX_ROWS + 1)]
    assert len(read_rows(filled(*rows[:-1]))) == reader.MAX_ROWS
    with pytest.raises(BadWorkbook) as refused:
        read_rows(filled(*rows))
    assert refused.value.message is reader.TOO_MANY_ROWS
