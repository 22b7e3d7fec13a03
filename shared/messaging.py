"""The transactional outbox and the idempotent inbox, as tables any service can own.

A state change and the event announcing it are written in one transaction
(``Outbox.add``); the relay publishes later. A consumer records each event id
in the inbox in the same transaction as its effect, so a redelivered event
changes nothing.
"""

from __future__ import annotations

import json

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared import clock
from shared.db import UTCDateTime
from shared.events import Event, encode

_ID = BigInteger().with_variant(Integer(), "sqlite")
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("id", _ID, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("routing_key", String(100), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("published_at", UTCDateTime, nullable=True),
        Column("claimed_until", UTCDateTime, nullable=True),  # a relay's lease on the row
        Index("ix_outbox_unpublished", "published_at", "id"),
    )


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("type", String(100), nullable=False),
        Column("received_at", UTCDateTime, nullable=False),
    )


class Outbox:
    """Writes events into the outbox inside the caller's transaction."""

    def __init__(self, table: Table):
        self.table = table
        self._insert = insert(table)

    def add(self, session: Session, event: Event) -> None:
        body = encode(event)
        session.connection().execute(self._insert, {
            "event_id": body["event_id"], "routing_key": event.type,
            "body": json.dumps(body, ensure_ascii=False), "created_at": clock.now()})


class Inbox:
    """Remembers consumed event ids; ``record`` fails for an event already handled."""

    def __init__(self, table: Table):
        self.table = table

    def record(self, session: Session, event: Event) -> bool:
        """Record the event in the caller's transaction; False if it was already consumed.

        ``ON CONFLICT DO NOTHING`` makes this one round trip; a racing consumer
        holding the same id waits for the other's commit and then sees the conflict.
        """
        dialect = session.get_bind().dialect.name
        statement = _INSERTS[dialect](self.table).values(
            event_id=event.event_id, type=event.type, received_at=clock.now()
        ).on_conflict_do_nothing(index_elements=["event_id"]).returning(self.table.c.event_id)
        return session.execute(statement).scalar_one_or_none() is not None
