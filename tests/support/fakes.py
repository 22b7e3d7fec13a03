"""A unit of work without a database, for the unit tier's tests of the services' handlers.

``FakeUnitOfWork`` has the interface the handlers use (``shared.uow.UnitOfWork``: ``session``,
``emit``, ``commit``, ``config``, and a ``with`` block), and keeps what they did: the events
emitted and how often they committed.

Its ``session`` is a SQLAlchemy session bound to nothing, holding the rows a test gives it.
``get`` finds them by primary key (``None`` for any other, as a database would answer), new
rows the handler adds are in ``session.new``, and relationships set on the given rows are
followed. Anything that needs SQL — a query, a flush, a lazy load of something the test did
not set — fails with ``UnboundExecutionError``: such a handler is tested in the integration
tier, and a unit test can never pass without having run the rule it names.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session, make_transient_to_detached

from shared.events import Event


class RowsSession(Session):
    """A session over the rows it was given: ``get`` looks in them only, never in a database."""

    def get(self, entity, ident, **_options):
        key = inspect(entity).identity_key_from_primary_key(
            list(ident) if isinstance(ident, tuple | list) else [ident])
        return self.identity_map.get(key)


class FakeUnitOfWork:
    def __init__(self, *rows: Any, config: Any = None):
        """``rows``: mapped objects as the database would hold them (primary keys set, and
        whatever the handler reads set too: an unset attribute is not loaded, but refused)."""
        self.session = RowsSession()
        for row in rows:
            make_transient_to_detached(row)
            self.session.add(row)
        self.config = config
        self.emitted: list[Event] = []
        self.commits = 0

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def emit(self, event: Event) -> None:
        self.emitted.append(event)

    def commit(self) -> None:
        self.commits += 1

    def added(self, kind: type) -> list:
        """The rows of ``kind`` the handler added to the session (not yet flushed: no ids)."""
        return [row for row in self.session.new if isinstance(row, kind)]
