"""The rules for one row of the template: its columns, how a cell reads, and what makes it bad.

Each row goes through ``load_registration``, the same schema as the form and the
API, so a row is accepted exactly when the form would accept it. A spreadsheet
hands over numbers and dates rather than text; they are read the way a person
typed them. Fields, subject types and communes may be written as their code or
as their name in either language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from intake_service.submissions.domain import NUMBERS
from intake_service.submissions.schemas import load_registration
from shared.catalog import FIELDS, REGISTRATION_DETAILS, SUBJECT_TYPES
from shared.errors import InvalidInput
from shared.identity import Identity
from shared.text import search_key

# The template's columns, in order: the registration form's fields and their labels.
COLUMNS: dict[str, Any] = {
    "title": _l("Name of the model"),
    "field": _l("Field"),
    "subject_type": _l("Subject type"),
    "commune_code": _l("Commune"),
    **REGISTRATION_DETAILS,
}
REQUIRED = ("title", "field", "subject_type")
CHOICES: dict[str, Mapping[str, Any]] = {"field": FIELDS, "subject_type": SUBJECT_TYPES}
NOT_YOUR_COMMUNE = _l("You can import registrations only for your own commune.")

Vocabulary = dict[str, dict[str, str]]  # column -> search key of a spelling -> code


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it
    values: dict[str, Any]  # column key -> cell value as openpyxl read it


@dataclass(frozen=True)
class RowError:
    row: int | None
    field: str | None
    message: str  # an English msgid, translated when shown

    def as_dict(self) -> dict:
        return asdict(self)


def vocabulary(languages: Iterable[str] = (), communes: Mapping[str, str] | None = None) -> Vocabulary:
    """Every accepted spelling of each choice: its code, and its label in each language.

    Labels are read under each of ``languages``, which needs an app context (the job has one);
    with none given, as their English msgids. ``communes`` (code → name, from the directory)
    may be written by code, by name, or by name without "Xã"/"Thị trấn".
    """
    spelled: Vocabulary = {column: {search_key(code): code for code in choices}
                           for column, choices in CHOICES.items()}
    for language in languages or (None,):
        with force_locale(language) if language else nullcontext():
            for column, choices in CHOICES.items():
                spelled[column].update({search_key(str(label)): code for code, label in choices.items()})
    spelled["commune_code"] = {}
    for code, name in (communes or {}).items():
        for spelling in (code, name, name.removeprefix("Xã ").removeprefix("Thị trấn ")):
            spelled["commune_code"][search_key(spelling)] = code
    return spelled


def is_blank(values: Mapping[str, Any]) -> bool:
    """Nothing but (perhaps) the commune, which the template fills in beforehand."""
    return all(_empty(value) for key, value in values.items() if key != "commune_code")


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_value(key: str, value: Any) -> Any:
    """A cell as the form would have received it: text, or a number left whole for number columns."""
    if _empty(value):
        return None
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if key in NUMBERS and isinstance(value, int | float):
        return value  # the schema reads numbers as numbers: 1139000000 stays 1.139.000.000 đ
    if isinstance(value, datetime) and value.time() == time():
        value = value.date()
    if isinstance(value, date):
        return f"{value.day}/{value.month}/{value.year}"
    return str(value)


def registration_data(row: Row, user: Identity, spelled: Vocabulary) -> dict[str, Any]:
    """The row as the form's fields; choices turned into codes, a blank commune the user's own."""
    data = {key: cell_value(key, value) for key, value in row.values.items()}
    data["commune_code"] = data.get("commune_code") or user.scope
    for column, codes in spelled.items():
        if isinstance(data.get(column), str):
            data[column] = codes.get(search_key(data[column]), data[column])
    return data


def check_row(row: Row, user: Identity, spelled: Vocabulary) -> tuple[dict | None, list[RowError]]:
    """The row's clean registration, or every reason it cannot be taken."""
    data = registration_data(row, user, spelled)
    errors = []
    if data["commune_code"] != user.scope:
        errors.append(RowError(row.number, "commune_code", str(NOT_YOUR_COMMUNE)))
    try:
        clean = load_registration(data)
    except InvalidInput as invalid:
        errors += [RowError(row.number, _column(key), message)
                   for key, messages in invalid.errors.items() for message in messages]
    return (None, errors) if errors else (clean, [])


def _column(key: str) -> str | None:
    return key if key in COLUMNS else None


def column_label(key: str | None):
    """The column's label in the reader's language (empty for a problem of the whole row)."""
    return COLUMNS.get(key or "", "")
