"""The directory's tables: org units with their history, units (collective bodies), people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake_service.directory.domain import OrgUnitState
from intake_service.tables import Base
from shared import clock
from shared.db import UTCDateTime


class OrgUnit(Base):
    """A province, district, commune, township or village, as it was between two dates."""

    __tablename__ = "org_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    # Codes, not foreign keys: a successor may arrive later in the same import.
    parent_code: Mapped[str | None] = mapped_column(String(80), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    successor_code: Mapped[str | None] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    def state(self) -> OrgUnitState:
        return OrgUnitState(self.code, self.name, self.level, self.valid_from, self.parent_code,
                            self.valid_to, self.successor_code)


class Unit(Base):
    """A collective body (party cell, Women's Union, school, border post...) of an org unit."""

    __tablename__ = "directory_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    org_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    people: Mapped[list[Person]] = relationship(order_by="Person.id", back_populates="unit")


class Person(Base):
    __tablename__ = "directory_people"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("directory_units.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[Unit] = relationship(back_populates="people")
