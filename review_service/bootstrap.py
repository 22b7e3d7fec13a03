"""Wiring for the review service: settings in, engine, sessions, outbox, inbox and jobs out.

No I/O happens at import or here; connections open on first use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from review_service import tables
from review_service.bus import Handler, MessageBus
from review_service.committee.domain import ExemplarChosen
from review_service.inspections import services as inspections
from review_service.inspections.domain import InspectionConcluded
from review_service.nominations import services as nominations
from review_service.nominations.domain import InspectionRequested
from review_service.settings import ReviewSettings, from_settings
from review_service.uow import UnitOfWork
from shared.db import make_engine, make_session_factory
from shared.jobs import Jobs
from shared.messaging import Inbox, Outbox
from shared.settings import Settings

# What each domain event sets off in another feature, in the transaction that raised it.
HANDLERS: dict[type, list[Handler]] = {
    ExemplarChosen: [nominations.on_exemplar_chosen],  # the committee chose an exemplar
    InspectionRequested: [inspections.on_inspection_requested],  # a nomination needs a visit
    InspectionConcluded: [nominations.on_inspection_concluded],  # a team concluded its visit
}


@dataclass
class Review:
    settings: Settings
    engine: Engine
    sessions: sessionmaker
    outbox: Outbox
    inbox: Inbox
    config: ReviewSettings  # review's own settings, read once
    jobs: Jobs
    bus: MessageBus

    @property
    def chain_config(self) -> str:
        """The shipped chains in force until an administrator saves others."""
        return self.config.chain_config

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.outbox, self.config, bus=self.bus)


def bootstrap(settings: Settings) -> Review:
    tables.metadata()  # every feature's tables mapped before the first query
    engine = make_engine(settings.review_database_url)
    return Review(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        outbox=Outbox(tables.outbox),
        inbox=Inbox(tables.inbox),
        config=from_settings(settings),
        jobs=Jobs(settings),
        bus=MessageBus(HANDLERS),
    )
