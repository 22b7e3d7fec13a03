"""Tables of the reviewers' team: each reviewer as last seen at the queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from review_service.tables import Base
from shared.db import UTCDateTime
from shared.identity import Identity


class Reviewer(Base):
    """A reviewer as last seen at the queue: the colleagues an item can be given to."""

    __tablename__ = "reviewers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    scope: Mapped[str] = mapped_column(String(80))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def identity(self) -> Identity:
        return Identity(id=self.id, name=self.name, role=self.role, scope=self.scope)

