"""Spreadsheet cells that hold people's text as text, never as a formula.

A model's name, a comment or a reason that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be read by Excel or LibreOffice as a formula (formula injection: a cell
that fetches a URL or runs a command when the export is opened). Every XLSX row of user text
goes through ``row`` and every CSV row through ``csv_row``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def risky(value: Any) -> bool:
    """Whether a spreadsheet would read this value as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def cell(sheet, value: Any):
    """The value as a worksheet cell: a risky string is a string cell (openpyxl would make a
    formula of ``=…``), anything else stays as it is (numbers stay numbers)."""
    if not risky(value):
        return value
    written = WriteOnlyCell(sheet, value)
    written.data_type = "s"
    return written


def row(sheet, values: Iterable[Any]) -> list:
    """A row for ``sheet.append``: every risky string written as text."""
    return [cell(sheet, value) for value in values]


def csv_row(values: Iterable[Any]) -> list:
    """A row for ``csv.writer``: a risky string gets the apostrophe spreadsheets read as text."""
    return [f"'{value}" if risky(value) else value for value in values]
