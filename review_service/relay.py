"""Review's outbox relay process."""

from __future__ import annotations

from review_service import tables
from shared import processes


def main() -> None:
    processes.run_relay(lambda settings: settings.review_database_url, tables.outbox, "review")


if __name__ == "__main__":
    main()
