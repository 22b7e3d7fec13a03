"""Review's consumer with one fatal event: its process exits at once while handling a
submission titled ``POISON_TITLE`` (as a crash in a C library or the OOM killer would end it),
every time it meets it. Run as ``python -m tests.support.dying_consumer``."""

from __future__ import annotations

import os

from review_service.bootstrap import bootstrap
from review_service.consumer import handler
from shared import events, processes

POISON_TITLE = "Mô hình làm dừng bộ tiêu thụ"


def dying_on_poison(handle):
    def handle_or_die(event, uow):
        if event.payload.get("title") == POISON_TITLE:
            os._exit(70)
        handle(event, uow)
    return handle_or_die


def make_handler(settings):
    handle = handler(bootstrap(settings))
    submitted = handle.handlers[events.SUBMISSION_SUBMITTED]
    handle.handlers[events.SUBMISSION_SUBMITTED] = dying_on_poison(submitted)
    return handle


if __name__ == "__main__":
    processes.run_consumer("review", make_handler)
