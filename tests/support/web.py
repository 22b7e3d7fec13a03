"""The web apps in-process on embedded SQLite, with people who can sign in, for page tests."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from intake_service.app import create_app as create_intake
from review_service.app import create_app as create_review
from shared import embedded
from shared.settings import from_env
from tests.support import templates
from tests.support.people import PASSWORD, SECRET_KEY, add_people, sign_in

__all__ = ["PASSWORD", "csrf", "intake_app", "running_apps", "sign_in"]


@contextmanager
def running_apps(data_dir: Path, people: dict[str, tuple[str, str, str]],
                 environment: dict[str, str] | None = None):
    """Yield (intake, review) apps sharing a secret; ``people`` maps username to (name, role, scope).

    Both databases are migrated, intake's with Con Cuông's directory (the communes
    registrations come from; the seed's events are still in its outbox).
    """
    settings = from_env({"DVK_DATA_DIR": str(data_dir), "SECRET_KEY": SECRET_KEY,
                         **(environment or {})})
    templates.clone("intake", "directory", settings.intake_database_url)
    templates.clone("review", "schema", settings.review_database_url)
    intake, review = create_intake(settings), create_review(settings)
    add_people(intake.extensions["intake"].sessions, people)
    try:
        yield intake, review
    finally:
        intake.extensions["intake"].engine.dispose()
        review.extensions["review"].engine.dispose()
        embedded.stop(settings.data_dir, keep=False)  # started if a page queued a job (a photo's thumbnail)


@contextmanager
def intake_app(data_dir: Path, people: dict[str, tuple[str, str, str]], template: str = "directory",
               environment: dict[str, str] | None = None):
    """Yield intake's app alone on embedded SQLite, its database copied from ``template``
    ("schema": migrated only; "directory": with Con Cuông's directory), ``people`` able to sign
    in (``app.people``: username -> ``User``)."""
    settings = from_env({"DVK_DATA_DIR": str(data_dir), "SECRET_KEY": SECRET_KEY,
                         **(environment or {})})
    templates.clone("intake", template, settings.intake_database_url)
    app = create_intake(settings)
    app.people = add_people(app.extensions["intake"].sessions, people)
    try:
        yield app
    finally:
        app.extensions["intake"].engine.dispose()


def csrf(page: str) -> str:
    """The CSRF token a page's form carries."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
