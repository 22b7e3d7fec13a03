"""Intake's outbox relay process."""

from __future__ import annotations

from intake_service.submissions import models
from shared import processes


def main() -> None:
    processes.run_relay(lambda settings: settings.intake_database_url, models.outbox)


if __name__ == "__main__":
    main()
