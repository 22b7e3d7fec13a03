"""Wiring for the intake service: settings in, engine, sessions, outbox, inbox and jobs out.

No I/O happens at import or here; connections open on first use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from intake_service import tables
from intake_service.settings import IntakeSettings, from_settings
from shared.db import make_engine, make_session_factory
from shared.jobs import Jobs
from shared.messaging import Inbox, Outbox
from shared.settings import Settings
from shared.uow import UnitOfWork


@dataclass
class Intake:
    settings: Settings
    engine: Engine
    sessions: sessionmaker
    outbox: Outbox
    inbox: Inbox
    config: IntakeSettings  # intake's own settings, read once
    jobs: Jobs

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.outbox, self.config)


def bootstrap(settings: Settings) -> Intake:
    tables.metadata()  # every feature's tables mapped before the first query
    engine = make_engine(settings.intake_database_url)
    return Intake(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        outbox=Outbox(tables.outbox),
        inbox=Inbox(tables.inbox),
        config=from_settings(settings),
        jobs=Jobs(settings),
    )
