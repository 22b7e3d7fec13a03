"""Intake's outbox relay process."""

from __future__ import annotations

from intake_service import tables
from shared import processes


def main() -> None:
    processes.run_relay(lambda settings: settings.intake_database_url, tables.outbox, "intake")


if __name__ == "__main__":
    main()
