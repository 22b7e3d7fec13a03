"""Review's message bus: what one feature does when another's domain event happens, in-process.

A domain event is a small frozen dataclass named in the past tense (``ExemplarChosen``,
``InspectionRequested``, ``InspectionConcluded``), defined in its feature's ``domain`` module
as a ``DomainEvent``. The bootstrap alone says which handlers answer each kind
(``review_service.bootstrap.HANDLERS``): plain functions of a feature's ``services``, taking
the event and the unit of work. The features never import one another to call back.

Everything a handler does happens in the unit of work's transaction, with the change that
raised the event: its rows and its outbox events commit, or roll back, together with it. An
event no handler is registered for is an error (``Unhandled``), never skipped.

Free of Flask, SQL and the broker: a domain module may import ``DomainEvent`` from here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened in one feature which another acts on in the same transaction."""


class CollectsEvents(Protocol):
    """A unit of work, as the bus sees it: it hands over the events raised in it so far."""

    def collect_new_events(self) -> list[DomainEvent]: ...


Handler = Callable[[Any, Any], None]  # (the event, the unit of work)


class Unhandled(LookupError):
    """A domain event was raised that no handler is registered for."""

    def __init__(self, event: DomainEvent):
        super().__init__(f"no handler is registered for {type(event).__name__}")
        self.event = event


class MessageBus:
    """Domain event classes, each with the handlers that answer it, in the order they run."""

    def __init__(self, handlers: Mapping[type[DomainEvent], Sequence[Handler]]):
        self.handlers = {kind: tuple(found) for kind, found in handlers.items()}

    def handlers_for(self, event: DomainEvent) -> tuple[Handler, ...]:
        found = self.handlers.get(type(event))
        if not found:
            raise Unhandled(event)
        return found

    def handle(self, event: DomainEvent, uow: CollectsEvents) -> None:
        """Run the event's handlers now, in ``uow``'s transaction; then, one by one, the events
        they raised (``uow.raise_event``), and those raised by their handlers in turn."""
        queue = deque([event])
        while queue:
            current = queue.popleft()
            for handler in self.handlers_for(current):
                handler(current, uow)
                queue.extend(uow.collect_new_events())
