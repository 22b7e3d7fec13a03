"""Inspection tables: plans, teams and their members, tasks, evidence, and the tasks' audit trail."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review_service.queue.tables import ReviewItem
from review_service.tables import Base
from shared import clock
from shared.db import UTCDateTime


class InspectionPlan(Base):
    """A district's inspections for a stretch of time (kế hoạch kiểm tra), with its sample's seed."""

    __tablename__ = "inspection_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(String(80), index=True)
    label: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    period_id: Mapped[int | None] = mapped_column(Integer)  # intake's reporting period, if one
    sample_share: Mapped[str] = mapped_column(String(20))  # exact, as a fraction "1/10"
    seed: Mapped[int] = mapped_column(BigInteger)
    sampled_from: Mapped[int] = mapped_column(Integer, default=0)  # the population's size
    sampled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # none until drawn
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    tasks: Mapped[list[InspectionTask]] = relationship(order_by="InspectionTask.id",
                                                       back_populates="plan")


class InspectionTeam(Base):
    """An inspection team (đoàn kiểm tra) of a district and the communes it covers."""

    __tablename__ = "inspection_teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(200))
    communes: Mapped[list] = mapped_column(JSON, default=list)  # commune codes
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    members: Mapped[list[TeamMember]] = relationship(
        order_by="TeamMember.name", back_populates="team", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("district_code", "name", name="uq_inspection_team_name"),)


class TeamMember(Base):
    """A review user on a team, with what conflicts of interest are checked against."""

    __tablename__ = "inspection_team_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("inspection_teams.id"), index=True)
    user_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    home_commune: Mapped[str] = mapped_column(String(80))
    unit_name: Mapped[str | None] = mapped_column(String(200))
    team: Mapped[InspectionTeam] = relationship(back_populates="members")

    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_inspection_team_member"),)


class InspectionTask(Base):
    """One model to check on site: who goes, the checklist, the findings and the conclusion."""

    __tablename__ = "inspection_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plans.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), index=True)
    model_id: Mapped[int] = mapped_column(Integer, index=True)  # intake's model: the submission id
    district_code: Mapped[str] = mapped_column(String(80))
    commune_code: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(20))  # nominated | sampled | added
    nomination_id: Mapped[int | None] = mapped_column(Integer, index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_teams.id"), index=True)
    inspectors: Mapped[list] = mapped_column(JSON, default=list)  # [{"id": .., "name": ..}]
    status: Mapped[str] = mapped_column(String(20))  # unassigned | assigned | concluded
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation: Mapped[int] = mapped_column(Integer, default=0)
    checklist: Mapped[dict | None] = mapped_column(JSON)  # criterion code -> met | partly | not_met
    findings: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))
    concluded_by: Mapped[str | None] = mapped_column(String(200))
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What an inspector has typed and not yet concluded, kept as they type.
    draft: Mapped[dict | None] = mapped_column(JSON)
    draft_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)
    plan: Mapped[InspectionPlan] = relationship(back_populates="tasks")
    item: Mapped[ReviewItem] = relationship()
    team: Mapped[InspectionTeam | None] = relationship()
    evidence: Mapped[list[InspectionEvidence]] = relationship(order_by="InspectionEvidence.id",
                                                              back_populates="task")
    audit: Mapped[list[InspectionAudit]] = relationship(order_by="InspectionAudit.id",
                                                        back_populates="task")

    __table_args__ = (
        Index("ix_inspection_tasks_open", "district_code", "status", "due_at", "id"),
    )

    @property
    def inspector_ids(self) -> list[int]:
        return [person["id"] for person in self.inspectors or []]


class InspectionEvidence(Base):
    """A photo or document an inspector kept as evidence; stored under a name of our own."""

    __tablename__ = "inspection_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("inspection_tasks.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_as: Mapped[str] = mapped_column(String(80))
    uploaded_by: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    task: Mapped[InspectionTask] = relationship(back_populates="evidence")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class InspectionAudit(Base):
    """Who did what to a task, when, from what to what, and why."""

    __tablename__ = "inspection_audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("inspection_tasks.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    task: Mapped[InspectionTask] = relationship(back_populates="audit")
