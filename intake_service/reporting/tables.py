"""The reporting feature's tables: the exports users asked for, and the report's summary tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake_service.tables import Base
from shared import clock
from shared.db import UTCDateTime

FORMATS = ("xlsx", "docx", "pdf")
# queued → running → done | failed
UNFINISHED = ("queued", "running")


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED


# ---- the report's summary tables (``tallies``): small rows kept current from the submissions ----
#
# One group is a period and a commune: everything below is recomputed a group at a time from
# the submissions, so a report reads a few rows per commune instead of every submission.


class Tally(Base):
    """Sent registrations or result reports of a group, per field and subject type, by review status."""

    __tablename__ = "report_tallies"
    period_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    field: Mapped[str] = mapped_column(String(50), primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    registered: Mapped[int] = mapped_column(Integer)  # submitted, in review, returned or approved
    approved: Mapped[int] = mapped_column(Integer)
    returned: Mapped[int] = mapped_column(Integer)
    pending: Mapped[int] = mapped_column(Integer)  # submitted or in review
    rejected: Mapped[int] = mapped_column(Integer)
    exemplars: Mapped[int] = mapped_column(Integer)
    verified: Mapped[int] = mapped_column(Integer)
    partly_verified: Mapped[int] = mapped_column(Integer)
    not_verified: Mapped[int] = mapped_column(Integer)


class HolderTally(Base):
    """Distinct units (collective) or people (individual) with registered models in a group."""

    __tablename__ = "report_holder_tallies"
    period_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(80), primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    holders: Mapped[int] = mapped_column(Integer)


class FigureTally(Base):
    """A group's approved result reports' figures summed per field and indicator, in thousandths."""

    __tablename__ = "report_figure_tallies"
    period_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(80), primary_key=True)
    field: Mapped[str] = mapped_column(String(50), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    thousandths: Mapped[int] = mapped_column(BigInteger)


class FirstSent(Base):
    """When a unit first sent a registration or result report of a group's period, from its opening."""

    __tablename__ = "report_first_sent"
    period_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(80), primary_key=True)
    submitter_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TallyMark(Base):
    """How far the summary tables have been brought: submissions changed before ``watermark``
    (less the margin for late commits) are counted in them."""

    __tablename__ = "report_tally_marks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watermark: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rebuilt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TallySeen(Base):
    """A change already counted: a submission as it was at ``updated_at``, within the margin.

    A refresh looks again at every change made within the margin before the last one began,
    but recomputes only the groups of changes it has not counted yet.
    """

    __tablename__ = "report_tally_seen"
    submission_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)


class RegroupedFrom(Base):
    """A group a submission left (its commune or period changed): recomputed at the next refresh."""

    __tablename__ = "report_regrouped"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(Integer)
    commune_code: Mapped[str] = mapped_column(String(80))
