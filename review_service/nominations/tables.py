"""The nominations' tables: nominations, their append-only history, subjects flagged ineligible,
and the dossiers generated from them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_service.queue.tables import ReviewItem
from review_service.tables import Base
from shared import clock
from shared.db import UTCDateTime


class Nomination(Base):
    """A proposal to commend a subject (a collective or a person) for one or more models."""

    __tablename__ = "nominations"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The registration's review item of the (first) model: its registered data and its area.
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(Integer)  # the committee session that chose it
    district_code: Mapped[str] = mapped_column(String(80), index=True)
    commune_code: Mapped[str] = mapped_column(String(80))
    commune_name: Mapped[str] = mapped_column(String(200))
    subject_type: Mapped[str] = mapped_column(String(20))  # collective | individual
    subject_name: Mapped[str] = mapped_column(String(200))
    subject_key: Mapped[str] = mapped_column(String(200), index=True)  # for the eligibility flag
    models: Mapped[list] = mapped_column(JSON)  # [{"model_id", "item_id", "title"}]
    award_form: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(40))
    commendation_type: Mapped[str] = mapped_column(String(40))  # thematic | regular
    reasons: Mapped[str] = mapped_column(Text, default="")
    achievements: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), index=True)
    # The latest inspection's conclusion; ``returned`` while a not (fully) verified one is unanswered.
    inspection_outcome: Mapped[str | None] = mapped_column(String(20))
    findings: Mapped[str | None] = mapped_column(Text)
    returned: Mapped[bool] = mapped_column(Boolean, default=False)
    decision_number: Mapped[str | None] = mapped_column(String(80))
    decision_date: Mapped[date | None] = mapped_column(Date)
    signer: Mapped[str | None] = mapped_column(String(200))
    drop_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    item: Mapped[ReviewItem] = relationship()
    history: Mapped[list[NominationEvent]] = relationship(order_by="NominationEvent.id",
                                                          back_populates="nomination")

    # Two people moving the same nomination at once: the later UPDATE matches no row and loses.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @property
    def model_ids(self) -> list[int]:
        return [model["model_id"] for model in self.models]


class NominationEvent(Base):
    """Append-only: who did what to a nomination, when, from which status to which, and why."""

    __tablename__ = "nomination_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    nomination: Mapped[Nomination] = relationship(back_populates="history")


class IneligibleSubject(Base):
    """A subject an administrator flagged as not to be commended for now (e.g. under discipline)."""

    __tablename__ = "nomination_ineligible_subjects"
    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_key: Mapped[str] = mapped_column(String(200), index=True)
    subject_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    flagged_by: Mapped[str] = mapped_column(String(200))
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


# queued → running → done | failed
DOSSIER_STATUSES = ("queued", "running", "done", "failed")
UNFINISHED = ("queued", "running")


class Dossier(Base):
    """The documents of a set of nominations, made by an rq job: DOCX, PDF and an XLSX list."""

    __tablename__ = "nomination_dossiers"
    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(String(80), index=True)
    nomination_ids: Mapped[list] = mapped_column(JSON)
    requested_by_id: Mapped[int] = mapped_column(Integer)
    requested_by: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    docx: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    xlsx: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED
