"""Intake's commands: migrate its database, load the demo users and directory, issue an API token."""

from __future__ import annotations

import argparse
from datetime import timedelta

from sqlalchemy import select

from intake_service.accounts import services as accounts
from intake_service.accounts.tables import User
from intake_service.bootstrap import bootstrap
from intake_service.directory.con_cuong import DISTRICT_CODE
from shared.db import migrate
from shared.settings import from_env

DEMO_PASSWORD = "dvk-demo-2024"
# Invented people; no real official is named.
DEMO_USERS = (
    ("donvi", "Lô Thị Hoa — Hội LHPN xã Môn Sơn", "submitter", "mon-son"),
    ("donvi2", "Vi Văn Tâm — Đoàn TN xã Châu Khê", "submitter", "chau-khe"),
    ("xa", "Lương Văn Thắng — Khối dân vận xã Môn Sơn", "commune_reviewer", "mon-son"),
    ("xa2", "Kha Thị Lan — Khối dân vận xã Châu Khê", "commune_reviewer", "chau-khe"),
    ("huyen", "Ngân Thị Mai — Ban Dân vận huyện", "district_reviewer", DISTRICT_CODE),
    ("bcd", "Moong Văn Bình — Ban Chỉ đạo", "committee_member", DISTRICT_CODE),
    ("bcd2", "Vi Thị Thu — Ban Chỉ đạo", "committee_member", DISTRICT_CODE),
    ("chutich", "Lương Thị Ngọc — Trưởng Ban Chỉ đạo", "committee_chair", DISTRICT_CODE),
    ("admin", "Quản trị hệ thống", "admin", DISTRICT_CODE),
    ("kiemtra", "Kha Văn Kiểm — Đoàn kiểm tra huyện", "inspector", DISTRICT_CODE),
)


def seed_demo_users() -> None:
    app = bootstrap(from_env())
    with app.sessions() as db:
        for username, name, role, scope in DEMO_USERS:
            if db.scalar(select(User).where(User.username == username)) is None:
                accounts.create_user(db, username, name, DEMO_PASSWORD, role, scope)
        db.commit()
    print(f"demo users: {', '.join(u[0] for u in DEMO_USERS)} (password {DEMO_PASSWORD})")
    seed_directory()  # the demo's communes: the forms offer them, submissions name them


def seed_directory() -> None:
    from intake_service.directory.seed import seed_con_cuong

    with bootstrap(from_env()).uow() as uow:
        report = seed_con_cuong(uow)
    print(f"org units: {report.created} new, {report.updated} changed, {report.unchanged} unchanged")


def issue_token(username: str, name: str) -> None:
    """Print a new named API token for a user, listed on their account page with its expiry."""
    settings = from_env()
    with bootstrap(settings).uow() as uow:
        user = uow.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise SystemExit(f"no user {username!r}")
        identity = accounts.identity_of(user)
        _row, token = accounts.create_token(accounts.CreateToken(
            identity, user.id, name, timedelta(days=settings.token_days)), uow, settings.secret_key)
    print(token)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m intake_service.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring the intake database to the newest schema")
    commands.add_parser("seed-demo", help="create the demo users and Con Cuông's directory")
    commands.add_parser("seed-directory", help="load Con Cuông's org tree, its merges and demo units")
    token = commands.add_parser("token", help="print an API token for a user")
    token.add_argument("username")
    token.add_argument("--name", default="command line", help="how the token is listed")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate("intake_service", from_env().intake_database_url)
    elif args.command == "seed-demo":
        seed_demo_users()
    elif args.command == "seed-directory":
        seed_directory()
    else:
        issue_token(args.username, args.name)


if __name__ == "__main__":
    main()
