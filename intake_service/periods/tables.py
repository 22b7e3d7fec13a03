"""Tables of the periods feature: periods, and the reminders already sent (each a notification)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intake_service.tables import Base
from shared import clock
from shared.db import UTCDateTime


class Period(Base):
    """A reporting period (kỳ báo cáo): what is due, from when, by when."""

    __tablename__ = "periods"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    due_registrations: Mapped[bool] = mapped_column(Boolean, default=False)
    due_reports: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("kind", "year", name="uq_periods_kind_year"),)

    @property
    def due_items(self) -> list[str]:
        return [item for item, due in (("registrations", self.due_registrations),
                                       ("reports", self.due_reports)) if due]


class ReminderSent(Base):
    """One reminder given to one unit for one period: the job's memory, so it never repeats one."""

    __tablename__ = "period_reminders"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    milestone: Mapped[str] = mapped_column(String(30))
    sent_on: Mapped[date] = mapped_column(Date)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"))
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("period_id", "user_id", "milestone",
                                       name="uq_period_reminders_once"),)
