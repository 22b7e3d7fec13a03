"""Review's unit of work: one transaction, the events it announces, and the domain events
raised in it, handled by the bus before it commits."""

from __future__ import annotations

from typing import Any

from review_service.bus import DomainEvent, MessageBus
from shared import uow


class UnitOfWork(uow.UnitOfWork):
    def __init__(self, *args: Any, bus: MessageBus, **kwargs: Any):
        super().__init__(*args, **kwargs)  # the sessions, the outbox and what else the base takes
        self.bus = bus
        self._raised: list[DomainEvent] = []

    def __enter__(self) -> UnitOfWork:
        self._raised = []
        super().__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._raised = []  # what was raised and not handled goes with the rolled back transaction
        super().__exit__(*exc_info)

    def handle(self, event: DomainEvent) -> None:
        """Have the event's handlers act now, in this transaction (and on what they raise)."""
        self.bus.handle(event, self)

    def raise_event(self, event: DomainEvent) -> None:
        """Note that the event happened: the bus handles it once the running handler returns,
        or, raised outside any handler, when this unit of work commits."""
        self._raised.append(event)

    def collect_new_events(self) -> list[DomainEvent]:
        raised, self._raised = self._raised, []
        return raised

    def commit(self) -> None:
        """Handle what is still raised (in this transaction), then commit."""
        for event in self.collect_new_events():
            self.handle(event)
        super().commit()
