"""The unit of work: one transaction holding a state change and the events it announces."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from shared.events import Event
from shared.messaging import Outbox


class UnitOfWork:
    def __init__(self, sessions: sessionmaker, outbox: Outbox):
        self.sessions = sessions
        self.outbox = outbox
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
