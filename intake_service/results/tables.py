"""Tables of result reports: the figures reported and the evidence files kept."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intake_service.tables import Base
from shared import clock
from shared.db import ExactDecimal, UTCDateTime


class ReportFigure(Base):
    """One standard indicator of one result report, kept exactly (never a float)."""

    __tablename__ = "report_figures"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(ExactDecimal)

    __table_args__ = (UniqueConstraint("submission_id", "code", name="uq_report_figures_code"),)


class Evidence(Base):
    """A file kept as evidence of a report: its type as sniffed from the content, never the name's."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # as the user named it, shown as text only
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_as: Mapped[str] = mapped_column(String(80), unique=True)  # a random name of ours
    thumbnail: Mapped[str | None] = mapped_column(String(80))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
