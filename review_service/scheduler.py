"""Review's scheduled jobs: outbox and inbox housekeeping."""

from __future__ import annotations

from shared.housekeeping import register_purge, run_cron


def register(scheduler) -> None:
    register_purge(scheduler, "review")


if __name__ == "__main__":
    run_cron(register)
