"""Intake's consumer: mirrors review's decisions onto the unit's submissions, tells people of
overdue items, and keeps what review made of each model: exemplar, inspection, nominations."""

from __future__ import annotations

from intake_service import recognition, services
from intake_service.bootstrap import Intake, bootstrap
from intake_service.periods import overdue
from shared import events, processes
from shared.consumer import idempotent


def handler(intake: Intake):
    return idempotent(intake.uow, intake.inbox, {
        **services.EVENT_HANDLERS,
        **recognition.EVENT_HANDLERS,
        events.REVIEW_ITEM_OVERDUE: overdue.on_item_overdue,
        events.INSPECTION_OVERDUE: overdue.on_inspection_overdue,
    })


def main() -> None:
    processes.run_consumer("intake", lambda settings: handler(bootstrap(settings)))


if __name__ == "__main__":
    main()
