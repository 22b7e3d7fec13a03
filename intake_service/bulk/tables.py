"""The table of the bulk import feature: one row per uploaded workbook and how far it has got."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intake_service.tables import Base
from shared import clock
from shared.db import UTCDateTime

# queued → running → done | rejected (a bad row: nothing written) | failed (unreadable, or a crash)
STATUSES = ("queued", "running", "done", "rejected", "failed")
UNFINISHED = ("queued", "running")


class Import(Base):
    """An uploaded workbook of registrations; ``errors`` lists {row, field, message} when rejected."""

    __tablename__ = "registration_imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80))
    and_submit: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED
