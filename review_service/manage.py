"""Review's commands: migrate its database."""

from __future__ import annotations

import argparse

from shared.db import migrate
from shared.settings import from_env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m review_service.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring the review database to the newest schema")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate("review_service", from_env().review_database_url)


if __name__ == "__main__":
    main()
