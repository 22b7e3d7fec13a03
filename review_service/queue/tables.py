"""Review's own tables: review items (with the submission's state carried by events), the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_service.tables import Base
from shared import clock
from shared.db import UTCDateTime


class ReviewItem(Base):
    __tablename__ = "review_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(Integer, unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    title_key: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(50))
    subject_type: Mapped[str] = mapped_column(String(20))
    commune_code: Mapped[str] = mapped_column(String(80))
    commune_name: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[str] = mapped_column(String(80))
    submitter_name: Mapped[str] = mapped_column(String(200))
    chain: Mapped[str] = mapped_column(String(200))
    chain_version: Mapped[int] = mapped_column(Integer, default=0)  # the configuration it started on
    stage: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    returned_from: Mapped[str | None] = mapped_column(String(30))
    last_comment: Mapped[str | None] = mapped_column(Text)
    # The registration's details as the v2 submitted event carried them; none from a v1 event.
    details: Mapped[dict | None] = mapped_column(JSON)
    # From a v3 event: the model an amendment or result report is about, and what it carries.
    model_id: Mapped[int | None] = mapped_column(Integer, index=True)
    amendment: Mapped[dict | None] = mapped_column(JSON)
    report: Mapped[dict | None] = mapped_column(JSON)
    previous: Mapped[dict | None] = mapped_column(JSON)  # as it was returned, before resubmission
    intake_version: Mapped[int] = mapped_column(Integer)
    # Chosen by the steering committee as an exemplar (điển hình): the input to award nominations.
    exemplar: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    escalation: Mapped[int] = mapped_column(Integer, default=0)  # 1 reminded, 2 escalated, this stage
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # The reviewer who claimed the item or was given it by a colleague; nobody while unassigned.
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    assignee_name: Mapped[str | None] = mapped_column(String(200))
    audit: Mapped[list[AuditEntry]] = relationship(order_by="AuditEntry.id", back_populates="item")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
    __table_args__ = (
        Index("ix_review_queue", "status", "stage", "commune_code", "opened_at", "id"),
        Index("ix_review_queue_district", "status", "stage", "district_code", "opened_at", "id"),
        Index("ix_review_queue_due", "status", "stage", "district_code", "due_at", "id"),
        Index("ix_review_queue_assignee", "assignee_id", "status", "stage", "opened_at", "id"),
    )


class AuditEntry(Base):
    """Append-only: who did what to an item, when, from what to what, and why."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    from_stage: Mapped[str | None] = mapped_column(String(30))
    to_stage: Mapped[str | None] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    item: Mapped[ReviewItem] = relationship(back_populates="audit")


