"""The reporting feature's table: one row per export a user asked for, and how far it has got."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake_service.models import Base
from shared.db import UTCDateTime

FORMATS = ("xlsx", "docx", "pdf")
# queued → running → done | failed
UNFINISHED = ("queued", "running")


def _now() -> datetime:
    return datetime.now(UTC)


class ReportExport(Base):
    """A report written to a file by the worker: XLSX tables, the DOCX document, or a PDF."""

    __tablename__ = "report_exports"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    org_code: Mapped[str] = mapped_column(String(80))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    format: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(5), default="vi")
    status: Mapped[str] = mapped_column(String(20), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    stored_name: Mapped[str | None] = mapped_column(String(80))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED
