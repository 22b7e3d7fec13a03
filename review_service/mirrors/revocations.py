"""Review's memory of who signed out everywhere, kept from intake's events (never from its tables).

Review trusts intake's signed sessions and tokens, so it must also learn when a
user voids them: ``intake.account.sessions_revoked`` carries the user's new
sign-out epoch, and review refuses any session or token of an earlier one. The
highest epoch seen wins, so a late, repeated or out-of-order event changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, Integer, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from review_service.tables import Base
from shared import events
from shared.db import UTCDateTime
from shared.uow import UnitOfWork


class SessionRevocation(Base):
    __tablename__ = "session_revocations"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    epoch: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime)


def on_sessions_revoked(event: events.Event, uow: UnitOfWork) -> None:
    """Remember the user's newest sign-out epoch; an older one changes nothing."""
    payload = event.payload
    known = uow.session.get(SessionRevocation, payload["user_id"])
    if known is None:
        uow.session.add(SessionRevocation(user_id=payload["user_id"], epoch=payload["epoch"],
                                          revoked_at=payload["revoked_at"]))
    elif payload["epoch"] > known.epoch:
        known.epoch, known.revoked_at = payload["epoch"], payload["revoked_at"]


def epoch_lookup(engine: Engine):
    """``user id -> current epoch`` for the web app's sign-in check (``shared.web.auth``).

    Asked on every request, so it reads outside a transaction: one round trip, no BEGIN and
    ROLLBACK around it.
    """
    reader = engine.execution_options(isolation_level="AUTOCOMMIT")
    query = select(SessionRevocation.epoch).where(SessionRevocation.user_id == bindparam("user_id"))

    def epoch_of(user_id: int) -> int:
        with reader.connect() as db:
            return db.scalar(query, {"user_id": user_id}) or 0

    return epoch_of
