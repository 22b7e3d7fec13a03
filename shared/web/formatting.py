"""Numbers and dates the Vietnamese way: 1.139.000.000 đ, 1,5 km, 10/6/2024."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_datetime
from babel.numbers import format_decimal
from flask import Flask

from shared.catalog import period_label
from shared.days import VIETNAM


def vn_number(value: int | Decimal | float | None) -> str:
    return "" if value is None else format_decimal(value, locale="vi_VN")


def vn_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return f"{value.day}/{value.month}/{value.year}"


def vn_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = _local(value)
    return f"{format_datetime(local, 'HH:mm', locale='vi_VN')} {vn_date(local)}"


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.astimezone(VIETNAM)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(number=vn_number, date=vn_date, datetime=vn_datetime)
    app.jinja_env.globals["period_label"] = period_label
