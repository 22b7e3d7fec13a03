"""Both web apps in-process on embedded SQLite, with people who can sign in, for page tests."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from intake_service.accounts import services as accounts
from intake_service.app import create_app as create_intake
from intake_service.directory.seed import seed_con_cuong
from review_service.app import create_app as create_review
from shared import embedded
from shared.db import migrate
from shared.settings import from_env

PASSWORD = "mat-khau-thu-nghiem"


@contextmanager
def running_apps(data_dir: Path, people: dict[str, tuple[str, str, str]],
                 environment: dict[str, str] | None = None):
    """Yield (intake, review) apps sharing a secret; ``people`` maps username to (name, role, scope)."""
    settings = from_env({"DVK_DATA_DIR": str(data_dir), "SECRET_KEY": "test-secret",
                         **(environment or {})})
    migrate("intake_service", settings.intake_database_url)
    migrate("review_service", settings.review_database_url)
    intake, review = create_intake(settings), create_review(settings)
    with intake.extensions["intake"].uow() as uow:
        seed_con_cuong(uow)  # the communes registrations come from
    with intake.extensions["intake"].sessions() as db:
        for username, (name, role, scope) in people.items():
            accounts.create_user(db, username, name, PASSWORD, role, scope)
        db.commit()
    try:
        yield intake, review
    finally:
        intake.extensions["intake"].engine.dispose()
        review.extensions["review"].engine.dispose()
        embedded.stop(settings.data_dir)  # started if a page queued a job (a photo's thumbnail)


def csrf(page: str) -> str:
    """The CSRF token a page's form carries."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    token = csrf(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "username": username,
                                       "password": password})
