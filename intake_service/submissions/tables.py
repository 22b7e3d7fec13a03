"""Intake's own tables: users, API tokens, submissions and their history, outbox and inbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake_service.accounts.tables import User
from intake_service.tables import Base
from shared import clock
from shared.db import UTCDateTime


class Submission(Base):
    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), default="registration")
    title: Mapped[str] = mapped_column(String(300))
    title_key: Mapped[str] = mapped_column(String(300), index=True)
    field: Mapped[str] = mapped_column(String(50))
    subject_type: Mapped[str] = mapped_column(String(20))
    commune_code: Mapped[str] = mapped_column(String(80))
    # What real registrations carry; all optional while a draft (migration 0003_details).
    unit_name: Mapped[str | None] = mapped_column(String(200))
    person_name: Mapped[str | None] = mapped_column(String(200))
    villages: Mapped[str | None] = mapped_column(Text)
    situation: Mapped[str | None] = mapped_column(Text)
    objectives: Mapped[str | None] = mapped_column(Text)
    activities: Mapped[str | None] = mapped_column(Text)
    beneficiaries: Mapped[str | None] = mapped_column(Text)
    forces: Mapped[str | None] = mapped_column(Text)
    timeline: Mapped[str | None] = mapped_column(Text)
    expected_outputs: Mapped[str | None] = mapped_column(Text)
    sustainability: Mapped[str | None] = mapped_column(Text)
    funding_vnd: Mapped[int | None] = mapped_column(BigInteger)  # whole đồng, exact
    labour_days: Mapped[int | None] = mapped_column(BigInteger)
    # An amendment or a result report is about a model: an approved registration (0004).
    model_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)  # why an amendment is asked for
    previous: Mapped[dict | None] = mapped_column(JSON)  # the approved values an amendment changes
    period_id: Mapped[int | None] = mapped_column(ForeignKey("periods.id"), index=True)
    narrative: Mapped[str | None] = mapped_column(Text)  # a result report's account in words
    submitter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    stage: Mapped[str | None] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer, default=1)
    review_version: Mapped[int] = mapped_column(Integer, default=0)
    # When the review stage the submission waits at is due, as review announced it (0007): what
    # the report counts as overdue. None while review has not said (or it waits at no stage).
    review_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_comment: Mapped[str | None] = mapped_column(Text)
    # What review made of an approved model, mirrored from its events (intake_service/recognition.py).
    exemplar: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    inspection_outcome: Mapped[str | None] = mapped_column(String(20))
    inspection_findings: Mapped[str | None] = mapped_column(Text)
    inspected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    submitter: Mapped[User] = relationship()
    model: Mapped[Submission | None] = relationship(remote_side="Submission.id")
    history: Mapped[list[HistoryEntry]] = relationship(
        order_by="HistoryEntry.id", back_populates="submission"
    )

    __table_args__ = (Index("ix_submissions_commune_title", "commune_code", "title_key"),)


class HistoryEntry(Base):
    """An append-only audit row: who, when, from what to what, why."""

    __tablename__ = "submission_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_name: Mapped[str] = mapped_column(String(200))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str | None] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    submission: Mapped[Submission] = relationship(back_populates="history")


class FormDraft(Base):
    """What a user has typed into a form and not yet saved: kept on the server as they type."""

    __tablename__ = "form_drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    form_key: Mapped[str] = mapped_column(String(80))
    values: Mapped[str] = mapped_column(Text)  # JSON object of field name -> text
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (UniqueConstraint("user_id", "form_key"),)
