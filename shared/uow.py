"""The unit of work: one transaction holding a state change and the events it announces."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from shared.events import Event
from shared.messaging import Outbox


class UnitOfWork:
    """A transaction, its outbox, and the service's settings for the handlers that run in it."""

    def __init__(self, sessions: sessionmaker, outbox: Outbox, config: Any = None):
        self.sessions = sessions
        self.outbox = outbox
        self.config = config  # the service's typed settings (IntakeSettings, ReviewSettings)
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self.sessions()
        self.session.begin()
        return self

    def __exit__(self, *exc_info) -> None:
        self.session.rollback()
        self.session.close()

    def emit(self, event: Event) -> None:
        """Queue an event in the outbox; it leaves only if the transaction commits."""
        self.outbox.add(self.session, event)

    def commit(self) -> None:
        self.session.commit()
