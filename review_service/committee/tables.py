"""The committee's tables: sessions, their agenda entries, and each member's vote on an entry."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_service.queue.tables import ReviewItem
from review_service.tables import Base
from shared import clock
from shared.db import UTCDateTime


class CommitteeSession(Base):
    """A meeting of a district's steering committee (phiên họp Ban Chỉ đạo)."""

    __tablename__ = "committee_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(String(80), index=True)
    title: Mapped[str] = mapped_column(String(300))
    meeting_date: Mapped[date] = mapped_column(Date)
    member_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # draft | open | closed
    created_by: Mapped[str] = mapped_column(String(200))
    opened_by: Mapped[str | None] = mapped_column(String(200))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    agenda: Mapped[list[AgendaEntry]] = relationship(order_by="AgendaEntry.id",
                                                     back_populates="session")


class AgendaEntry(Base):
    """One item before the committee, what it decides on it, and (once closed) the result."""

    __tablename__ = "committee_agenda"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("committee_sessions.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), index=True)
    decision_type: Mapped[str] = mapped_column(String(20))  # recognise | exemplar
    outcome: Mapped[str | None] = mapped_column(String(20))  # approved | rejected | no_quorum | skipped
    tallies: Mapped[dict | None] = mapped_column(JSON)  # {"approve": n, "reject": n, "abstain": n}
    exemplar: Mapped[bool] = mapped_column(default=False)
    session: Mapped[CommitteeSession] = relationship(back_populates="agenda")
    item: Mapped[ReviewItem] = relationship()
    votes: Mapped[list[Vote]] = relationship(order_by="Vote.id", back_populates="entry")


class Vote(Base):
    """A member's vote on an entry; voting again changes it, never adds a second one."""

    __tablename__ = "committee_votes"
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_entry_id: Mapped[int] = mapped_column(ForeignKey("committee_agenda.id"), index=True)
    member_id: Mapped[int] = mapped_column(Integer)
    member_name: Mapped[str] = mapped_column(String(200))
    choice: Mapped[str] = mapped_column(String(10))  # approve | reject | abstain
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    entry: Mapped[AgendaEntry] = relationship(back_populates="votes")

    __table_args__ = (UniqueConstraint("agenda_entry_id", "member_id", name="uq_committee_vote"),)
