"""Review's award nominations as intake mirrors them from review's events."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake_service.tables import Base
from shared.db import UTCDateTime


class Nomination(Base):
    """Review's award nomination as its latest event told it: the whole state, ordered by ``version``."""

    __tablename__ = "nominations"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # review's nomination id
    model_ids: Mapped[list] = mapped_column(JSON)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_name: Mapped[str] = mapped_column(String(200))
    award_form: Mapped[str] = mapped_column(String(40))
    award_form_name: Mapped[str] = mapped_column(String(200))  # as review's configuration names it
    level: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30))
    commune_code: Mapped[str] = mapped_column(String(80), index=True)
    district_code: Mapped[str] = mapped_column(String(80), index=True)
    period_id: Mapped[int | None] = mapped_column(Integer)
    decision_number: Mapped[str | None] = mapped_column(String(80))
    decision_date: Mapped[date | None] = mapped_column(Date)
    signer: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)

