"""Review's memory of who signed out everywhere, kept from intake's events (never from its tables).

Review trusts intake's signed sessions and tokens, so it must also learn when a
user voids them: ``intake.account.sessions_revoked`` carries the user's new
sign-out epoch, and review refuses any session or token of an earlier one. The
highest epoch seen wins, so a late, repeated or out-of-order event changes nothing.
An API token revoked on its own arrives as ``intake.account.token_revoked``: its id is
remembered, and a token bearing it is refused from then on.
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


class TokenRevocation(Base):
    __tablename__ = "token_revocations"
    token_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime)


def on_token_revoked(event: events.Event, uow: UnitOfWork) -> None:
    """Remember a token revoked on its own; a repeat changes nothing."""
    payload = event.payload
    if uow.session.get(TokenRevocation, payload["token_id"]) is None:
        uow.session.add(TokenRevocation(token_id=payload["token_id"], user_id=payload["user_id"],
                                        revoked_at=payload["revoked_at"]))


def token_lookup(engine: Engine):
    """``(token id, token) -> usable?`` for the API's token check (``shared.web.api``): usable
    unless intake said it was revoked. Read outside a transaction, like the epochs."""
    reader = engine.execution_options(isolation_level="AUTOCOMMIT")
    query = select(TokenRevocation.token_id).where(
        TokenRevocation.token_id == bindparam("token_id"))

    def usable(token_id: int, _token: str) -> bool:
        if token_id == 0:
            return True  # made by a script holding the key, never listed nor revoked
        with reader.connect() as db:
            return db.scalar(query, {"token_id": token_id}) is None

    return usable


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
