"""Reading an uploaded workbook into numbered rows, judged by its content, never by its name.

The first sheet is read as the template lays it out: labels on row 1, the columns'
keys on the hidden row 2, registrations from row 3. A file that is not an XLSX
workbook, is past ``MAX_BYTES`` (or unzips into far more), lacks the key row or
holds more than ``MAX_ROWS`` registrations is refused with a message, never a 500.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from flask_babel import lazy_gettext as _l

from intake_service.bulk.rows import COLUMNS, REQUIRED, Row, is_blank
from shared.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED = 20 * MAX_BYTES  # a small zip can hold gigabytes of XML
MAX_ROWS = 2000
ZIP_MAGIC = b"PK\x03\x04"
KEY_ROW, FIRST_ROW = 2, 3

NOT_XLSX = _l("This is not an XLSX workbook. Save the file as Excel Workbook (.xlsx) and upload it again.")
TOO_LARGE = _l("The file is larger than 5 MB; split it into smaller files.")
NOT_TEMPLATE = _l("The file does not follow the template: its hidden row of column keys is missing or "
                  "changed. Download the template again and copy your rows into it.")
TOO_MANY_ROWS = _l("The file has more than 2,000 registrations; split it into smaller files.")
NO_ROWS = _l("The file holds no registrations: fill them in from row 3 on.")


class BadWorkbook(DomainError):
    """The upload cannot be read as a filled registration template."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def read_rows(data: bytes) -> list[Row]:
    """The registrations of an uploaded template, numbered as the spreadsheet numbers its rows."""
    _check_container(data)
    workbook = _open(data)
    try:
        if not workbook.worksheets:
            raise BadWorkbook(NOT_TEMPLATE)
        return _rows(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _check_container(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise BadWorkbook(TOO_LARGE)
    if not data.startswith(ZIP_MAGIC):
        raise BadWorkbook(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise BadWorkbook(NOT_XLSX) from None
    if unzipped > MAX_UNZIPPED:
        raise BadWorkbook(TOO_LARGE)


def _open(data: bytes):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a zip that is no workbook (.docx, .odt, damaged) is the user's to fix
        raise BadWorkbook(NOT_XLSX) from None


def _rows(records) -> list[Row]:
    keys = _keys(records)
    rows: list[Row] = []
    for number, record in enumerate(records, start=FIRST_ROW):
        values = {key: cell for key, cell in zip(keys, record, strict=False) if key in COLUMNS}
        if is_blank(values):
            continue
        if len(rows) == MAX_ROWS:
            raise BadWorkbook(TOO_MANY_ROWS)
        rows.append(Row(number, values))
    if not rows:
        raise BadWorkbook(NO_ROWS)
    return rows


def _keys(records) -> list[str]:
    next(records, None)  # the labels, in whichever language the template was downloaded
    keys = [_text(cell) for cell in next(records, None) or ()]
    if not set(REQUIRED) <= set(keys):
        raise BadWorkbook(NOT_TEMPLATE)
    return keys


def _text(cell: Any) -> str:
    return cell.strip() if isinstance(cell, str) else ""
