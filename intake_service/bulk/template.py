"""The XLSX template a submitter downloads, fills with one registration per row and uploads.

Row 1 holds the column labels in the downloader's language, with notes on how to fill them;
row 2, hidden, holds the columns' keys, which is what the reader goes by, so the
labels may be in either language. Field and subject type offer drop-downs of their
names (kept on a hidden sheet); the submitter's commune code comes filled in.
"""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from intake_service.bulk.reader import FIRST_ROW, KEY_ROW, MAX_ROWS
from intake_service.bulk.rows import CHOICES, COLUMNS, REQUIRED

LAST_ROW = FIRST_ROW + MAX_ROWS - 1
PREFILLED_ROWS = 200  # the commune is typed in for this many rows; a blank one means one's own
LISTS = "lists"  # the hidden sheet the drop-downs read their names from
DROP_DOWNS = ("field", "subject_type")
WIDE = ("title", "situation", "objectives", "activities", "beneficiaries", "forces",
        "expected_outputs", "sustainability")


def _notes() -> dict[str, str]:
    return {
        "title": _("Required. 5 to 200 characters. Example: Hội LHPN xã Môn Sơn vận động hội viên "
                   "hiến đất làm đường giao thông nông thôn"),
        "field": _("Required. Choose from the list."),
        "subject_type": _("Required. Choose from the list."),
        "commune_code": _("Your commune's code is filled in; you can register only for your own "
                          "commune. Its name is taken too."),
        "person_name": _("Required for an individual model."),
        "funding_vnd": _("Whole dong, in digits. Example: 1.139.000.000"),
        "labour_days": _("Whole days, in digits. Example: 8.524"),
    }


def build(commune_code: str) -> bytes:
    """The template for a submitter of ``commune_code``, as XLSX bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Registrations")[:31]
    _header(sheet)
    _lists(book)
    _drop_downs(sheet)
    for row in range(FIRST_ROW, FIRST_ROW + PREFILLED_ROWS):
        sheet.cell(row, _index("commune_code"), commune_code)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _index(key: str) -> int:
    return list(COLUMNS).index(key) + 1


def _header(sheet) -> None:
    notes = _notes()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F3D9DA")
    for column, (key, label) in enumerate(COLUMNS.items(), start=1):
        title = f"{label} *" if key in REQUIRED else str(label)
        cell = sheet.cell(1, column, title)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if key in notes:
            cell.comment = Comment(notes[key], "DVK", width=300, height=120)
        sheet.cell(KEY_ROW, column, key)
        sheet.column_dimensions[get_column_letter(column)].width = 40 if key in WIDE else 22
    sheet.row_dimensions[KEY_ROW].hidden = True


def _lists(book) -> None:
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    for column, names in enumerate(_choice_names().values(), start=1):
        for row, name in enumerate(names, start=1):
            lists.cell(row, column, name)


def _choice_names() -> dict[str, list[str]]:
    return {column: [str(label) for label in CHOICES[column].values()] for column in DROP_DOWNS}


def _drop_downs(sheet) -> None:
    for position, (key, names) in enumerate(_choice_names().items(), start=1):
        letter = get_column_letter(position)
        rule = DataValidation(type="list", allow_blank=True, showErrorMessage=True,
                              formula1=f"{LISTS}!${letter}$1:${letter}${len(names)}",
                              errorTitle=_("Not in the list"),
                              error=_("Choose a value from the list."))
        column = get_column_letter(_index(key))
        rule.add(f"{column}{FIRST_ROW}:{column}{LAST_ROW}")
        sheet.add_data_validation(rule)
