"""Wiring for the review service. No I/O happens at import."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from review_service import tables
from shared.db import make_engine, make_session_factory
from shared.messaging import Inbox, Outbox
from shared.settings import Settings
from shared.uow import UnitOfWork


@dataclass
class Review:
    settings: Settings
    engine: Engine
    sessions: sessionmaker
    outbox: Outbox
    inbox: Inbox
    chain_config: str  # shipped chains in force until an administrator saves others

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.outbox)


def bootstrap(settings: Settings) -> Review:
    tables.metadata()  # every feature's tables mapped before the first query
    engine = make_engine(settings.review_database_url)
    return Review(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        outbox=Outbox(tables.outbox),
        inbox=Inbox(tables.inbox),
        chain_config=settings.chain_config,
    )
