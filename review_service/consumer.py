"""Review's consumer: opens review items for what units submit, closes those they withdraw,
keeps its copy of the org tree, and learns who signed out everywhere."""

from __future__ import annotations

from functools import partial

from review_service.bootstrap import Review, bootstrap
from review_service.mirrors import directory, revocations
from review_service.queue import services
from shared import events, processes
from shared.consumer import idempotent


def handler(review: Review):
    return idempotent(review.uow, review.inbox, {
        events.SUBMISSION_SUBMITTED: partial(services.on_submitted,
                                             shipped_chains=review.chain_config),
        events.SUBMISSION_WITHDRAWN: services.on_withdrawn,
        events.ORG_UNIT_CHANGED: directory.on_org_unit_changed,
        events.SESSIONS_REVOKED: revocations.on_sessions_revoked,
        events.TOKEN_REVOKED: revocations.on_token_revoked,
    })


def main() -> None:
    processes.run_consumer("review", lambda settings: handler(bootstrap(settings)))


if __name__ == "__main__":
    main()
