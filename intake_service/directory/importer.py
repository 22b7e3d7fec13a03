"""Reading an uploaded CSV or XLSX into numbered rows, and validating each row.

The file is judged by its content, not only its name; a table past ``MAX_ROWS``
or a file that is not a table is refused with a message, never a 500. Row
numbers are the spreadsheet's: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from intake_service.directory.schemas import COLUMNS, ROW_SCHEMAS
from shared.errors import DomainError
from shared.text import normalise

MAX_ROWS = 5000
XLSX_MAGIC = b"PK\x03\x04"

Table = list[tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class Upload:
    header: list[str]
    rows: Table


class BadFile(DomainError):
    """The upload is not a readable CSV or XLSX table."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message: Any  # a lazy string, rendered in the reader's language


class ImportRejected(DomainError):
    """At least one row is bad, so nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} bad rows")
        self.errors = sorted(errors, key=lambda e: (e.row, e.column or ""))


def read_table(filename: str, data: bytes) -> Upload:
    """The rows of a CSV or XLSX upload, keyed by their header, numbered as in a spreadsheet."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") and data.startswith(XLSX_MAGIC):
        records = _xlsx_records(data)
    elif name.endswith(".csv") and not data.startswith(XLSX_MAGIC):
        records = _csv_records(data)
    else:
        raise BadFile(_l("Upload a CSV or XLSX file (the first sheet is read)."))
    return _keyed(records)


def _csv_records(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile(_l("The CSV file must be saved as UTF-8 text.")) from None
    if "\x00" in text:
        raise BadFile(_l("Upload a CSV or XLSX file (the first sheet is read)."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise BadFile(_l("The CSV file could not be read; check its quotes.")) from None


def _xlsx_records(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload is the user's to fix, not a 500
        raise BadFile(_l("The XLSX file could not be read. Save it again from your spreadsheet "
                         "program and retry.")) from None
    try:
        return _bounded(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _bounded(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    records = []
    for record in rows:
        if len(records) > MAX_ROWS:
            raise BadFile(_l("The file has more than %(count)s rows; split it into smaller files.",
                             count=MAX_ROWS))
        records.append(list(record))
    return records


def _keyed(records: list[list[Any]]) -> Upload:
    if not records:
        raise BadFile(_l("The file is empty."))
    header = [normalise(str(cell or "")).lower() for cell in records[0]]
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in record):
            continue
        values = {name: cell for name, cell in zip(header, record, strict=False) if name}
        rows.append((number, values))
    return Upload(header, rows)


def check_header(kind: str, upload: Upload) -> list[RowError]:
    """Missing and unknown columns, reported on row 1."""
    header = [name for name in upload.header if name]
    expected = COLUMNS[kind]
    errors = [RowError(1, name, _l("Unknown column “%(name)s”.", name=name))
              for name in header if name not in expected]
    required = [name for name, field in ROW_SCHEMAS[kind]().fields.items() if field.required]
    errors += [RowError(1, name, _l("The column “%(name)s” is missing.", name=name))
               for name in required if name not in header]
    if not upload.rows:
        errors.append(RowError(1, None, _l("The file has a header but no rows.")))
    return errors


def validate_rows(kind: str, table: Table) -> tuple[Table, list[RowError]]:
    """Each row through its marshmallow schema: the clean rows, and an error per bad field."""
    schema = ROW_SCHEMAS[kind]()
    clean, errors = [], []
    for number, values in table:
        try:
            clean.append((number, schema.load(values)))
        except ValidationError as error:
            errors += [RowError(number, column, message)
                       for column, message in _flat(error.messages)]
    return clean, errors


def _flat(messages, column: str | None = None) -> Iterator[tuple[str | None, Any]]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flat(value, None if key == "_schema" else key)
    elif isinstance(messages, list):
        for message in messages:
            yield from _flat(message, column)
    else:
        yield column, messages


def duplicates(rows: Table, key: str) -> list[RowError]:
    """A second row with the same key as an earlier one."""
    first: dict[str, int] = {}
    errors = []
    for number, data in rows:
        if data[key] in first:
            errors.append(RowError(number, key, _l("Same as row %(row)s.", row=first[data[key]])))
        first.setdefault(data[key], number)
    return errors
