"""Review's consumer: opens review items for what units submit, closes those they withdraw."""

from __future__ import annotations

from functools import partial

from review_service import directory, services
from review_service.bootstrap import Review, bootstrap
from shared import events, processes
from shared.consumer import idempotent


def handler(review: Review):
    return idempotent(review.uow, review.inbox, {
        events.SUBMISSION_SUBMITTED: partial(services.on_submitted,
                                             default_chain=review.default_chain),
        events.SUBMISSION_WITHDRAWN: services.on_withdrawn,
        events.ORG_UNIT_CHANGED: directory.on_org_unit_changed,
    })


def main() -> None:
    processes.run_consumer("review", lambda settings: handler(bootstrap(settings)))


if __name__ == "__main__":
    main()
