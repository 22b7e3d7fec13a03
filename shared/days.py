"""Days as the movement counts them: Vietnamese calendar days (UTC+7, no daylight saving)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from shared import clock

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local_date(moment: datetime) -> date:
    """The calendar day in Vietnam of a moment; deadlines and date filters are Vietnamese days."""
    return moment.astimezone(VIETNAM).date()


def today_in_vietnam() -> date:
    return local_date(clock.now())
