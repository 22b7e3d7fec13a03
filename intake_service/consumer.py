"""Intake's consumer: mirrors review's decisions onto the unit's submissions, tells people of
overdue items, and keeps what review made of each model: exemplar, inspection, nominations."""

from __future__ import annotations

from intake_service.bootstrap import Intake, bootstrap
from intake_service.notifications import decisions, overdue
from intake_service.recognition import services as recognition
from intake_service.submissions import services
from shared import events, processes
from shared.consumer import idempotent


def handler(intake: Intake):
    return idempotent(intake.uow, intake.inbox, {
        **services.EVENT_HANDLERS,
        **recognition.EVENT_HANDLERS,
        # Told after the mirror: the unit of its decisions, reviewers of their new items.
        events.REVIEW_ITEM_OPENED: decisions.after(services.on_item_opened,
                                                   decisions.on_item_opened),
        events.REVIEW_DECISION_RECORDED: decisions.after(services.on_decision_recorded,
                                                         decisions.on_decision_recorded),
        events.NOMINATION_CHANGED: decisions.nomination_told(recognition.on_nomination_changed),
        events.REVIEW_ITEM_OVERDUE: overdue.on_item_overdue,
        events.INSPECTION_OVERDUE: overdue.on_inspection_overdue,
    })


def main() -> None:
    processes.run_consumer("intake", lambda settings: handler(bootstrap(settings)))


if __name__ == "__main__":
    main()
