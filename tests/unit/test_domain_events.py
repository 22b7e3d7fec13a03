"""Review's domain events: the bootstrap wires each to the handler that answers it, and the bus
runs handlers in the unit of work's transaction, never skipping an event nobody handles."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import typing

import pytest

import review_service
from review_service import bootstrap
from review_service.bus import DomainEvent, MessageBus, Unhandled
from review_service.committee.domain import ExemplarChosen
from review_service.inspections import services as inspections
from review_service.inspections.domain import InspectionConcluded
from review_service.nominations import services as nominations
from review_service.nominations.domain import InspectionRequested
from review_service.uow import UnitOfWork
from shared.identity import Identity
from shared.settings import from_env

CHAIR = Identity(id=3, name="Lương Thị Ngọc", role="committee_chair", scope="con-cuong")


def every_domain_event() -> set[type]:
    """The domain events the features' ``domain`` modules define."""
    for found in pkgutil.iter_modules(review_service.__path__):
        if found.ispkg and importlib.util.find_spec(f"review_service.{found.name}.domain"):
            importlib.import_module(f"review_service.{found.name}.domain")
    kinds, todo = set(), [DomainEvent]
    while todo:
        for kind in todo.pop().__subclasses__():
            kinds.add(kind)
            todo.append(kind)
    return kinds


# ---- the wiring ---------------------------------------------------------------------------


def test_the_bootstrap_wires_each_domain_event_to_its_handler():
    wired = {kind: list(handlers) for kind, handlers in bootstrap.HANDLERS.items()}
    assert wired == {
        ExemplarChosen: [nominations.on_exemplar_chosen],
        InspectionRequested: [inspections.on_inspection_requested],
        InspectionConcluded: [nominations.on_inspection_concluded],
    }


def test_every_domain_event_a_feature_defines_has_a_handler():
    assert every_domain_event() == set(bootstrap.HANDLERS)
    assert all(bootstrap.HANDLERS.values())


@pytest.mark.parametrize("kind", sorted(bootstrap.HANDLERS, key=lambda kind: kind.__name__))
def test_each_handler_takes_the_event_it_is_wired_to_and_the_unit_of_work(kind):
    for handler in bootstrap.HANDLERS[kind]:
        event, uow = inspect.signature(handler).parameters
        hints = typing.get_type_hints(handler)
        assert hints[event] is kind, handler
        assert handler.__module__.endswith(".services")  # a feature's plain function
        assert uow == "uow"


@pytest.mark.parametrize("kind", sorted(bootstrap.HANDLERS, key=lambda kind: kind.__name__))
def test_a_domain_event_is_a_small_frozen_fact_named_in_the_past_tense(kind):
    assert kind.__name__.endswith(("ed", "en"))  # chosen, requested, concluded
    assert kind.__dataclass_params__.frozen
    assert kind.__module__.endswith(".domain")


def test_the_review_unit_of_work_carries_the_bus_the_bootstrap_made():
    review = bootstrap.bootstrap(from_env())
    try:
        uow = review.uow()
        assert isinstance(uow, UnitOfWork) and uow.bus is review.bus
        assert review.bus.handlers == {kind: tuple(found) for kind, found in bootstrap.HANDLERS.items()}
    finally:
        review.engine.dispose()


# ---- the bus ------------------------------------------------------------------------------


class Session:
    """What a unit of work asks of a session, noted in order."""

    def __init__(self, log: list):
        self.log = log

    def begin(self):
        self.log.append("begin")

    def commit(self):
        self.log.append("commit")

    def rollback(self):
        self.log.append("rollback")

    def close(self):
        pass


def unit_of_work(handlers, log: list) -> UnitOfWork:
    return UnitOfWork(lambda: Session(log), None, bus=MessageBus(handlers))


def test_an_event_no_handler_is_registered_for_is_an_error_not_skipped():
    log: list = []
    with unit_of_work({}, log) as uow:
        with pytest.raises(Unhandled, match="ExemplarChosen"):
            uow.handle(ExemplarChosen(item_id=1, session_id=2, actor=CHAIR))
        uow.raise_event(InspectionRequested(nomination_id=1, item_id=1, actor=CHAIR))
        with pytest.raises(Unhandled, match="InspectionRequested"):
            uow.commit()
    assert log == ["begin", "rollback"]  # nothing committed


def test_a_handler_runs_at_once_and_what_it_raises_right_after_it_in_the_same_transaction():
    log: list = []

    def propose(event, uow):
        log.append(("propose", event.item_id))
        uow.raise_event(InspectionRequested(nomination_id=10 + event.item_id, item_id=event.item_id,
                                            actor=event.actor))
        log.append(("proposed", event.item_id))

    def inspect_(event, uow):
        log.append(("inspect", event.nomination_id))

    with unit_of_work({ExemplarChosen: [propose], InspectionRequested: [inspect_]}, log) as uow:
        for item_id in (1, 2):
            uow.handle(ExemplarChosen(item_id=item_id, session_id=None, actor=CHAIR))
            log.append(("decided", item_id))
        uow.commit()
    assert log == ["begin", ("propose", 1), ("proposed", 1), ("inspect", 11), ("decided", 1),
                   ("propose", 2), ("proposed", 2), ("inspect", 12), ("decided", 2),
                   "commit", "rollback"]


def test_an_event_raised_outside_a_handler_is_handled_when_the_unit_of_work_commits():
    log: list = []
    concluded = InspectionConcluded(task_id=5, nomination_id=7, outcome="verified", findings="",
                                    actor=CHAIR)

    def first(event, uow):
        log.append(("first", event.task_id))

    def second(event, uow):
        log.append(("second", event.task_id))

    with unit_of_work({InspectionConcluded: [first, second]}, log) as uow:
        uow.raise_event(concluded)
        log.append("raised")
        uow.commit()
    assert log == ["begin", "raised", ("first", 5), ("second", 5), "commit", "rollback"]


def test_what_was_raised_in_a_transaction_that_rolled_back_is_never_handled():
    log: list = []

    def note(event, uow):
        log.append("handled")

    uow = unit_of_work({InspectionRequested: [note]}, log)
    with uow:
        uow.raise_event(InspectionRequested(nomination_id=1, item_id=1, actor=CHAIR))
    with uow:  # the same unit of work, used again
        uow.commit()
    assert log == ["begin", "rollback", "begin", "commit", "rollback"]
