"""Each version of the chain configuration an administrator saved; the newest one is in force."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from review_service.tables import Base
from shared import clock
from shared.db import UTCDateTime


class ChainConfigVersion(Base):
    __tablename__ = "chain_configs"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    body: Mapped[str] = mapped_column(Text)  # the configuration as JSON, as it was saved
    saved_by: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
