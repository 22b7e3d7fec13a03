"""How an official document writes its number, place and date: plain text, no Word."""

from __future__ import annotations

from datetime import date

PARTY, STATE = "party", "state"
LAYOUTS = (PARTY, STATE)
BLANK_NUMBER = "      "  # left for the clerk who registers the document


def day_and_month(day: date) -> str:
    """'ngày 05 tháng 01 năm 2024': days 1–9 and months 1–2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: date) -> str:
    """'Con Cuông, ngày 10 tháng 6 năm 2024'."""
    return f"{place}, {day_and_month(day)}" if place else day_and_month(day).capitalize()


def number_line(layout: str, kind: str, symbol: str, number: str | None = None) -> str:
    """'Số 02-BC/BCĐ' in the Party's layout, 'Số: 02/BC-UBND' in the state's."""
    number = number or BLANK_NUMBER
    if layout == PARTY:
        return f"Số {number}-{kind}/{symbol}"
    return f"Số: {number}/{kind}-{symbol}"


def place_of(org_name: str) -> str:
    """The place a document is written in: the unit's name without its kind ('Con Cuông')."""
    for kind in ("Thị trấn ", "Thành phố ", "Thị xã ", "Huyện ", "Tỉnh ", "Xã ", "Phường "):
        if org_name.startswith(kind):
            return org_name.removeprefix(kind)
    return org_name


def in_sentence(org_name: str) -> str:
    """A unit's name inside a sentence: its kind in lower case, its name as the directory spells
    it ('huyện Con Cuông')."""
    return org_name[:1].lower() + org_name[1:] if org_name else org_name
