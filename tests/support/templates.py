"""Databases migrated and seeded once per test session, then cloned for each test that needs one.

Migrating a database and loading Con Cuông's directory costs seconds; copying the result
costs milliseconds. So each recipe — a service's schema, with or without the directory, or
what ``manage seed-demo`` leaves — is built once per test process (each xdist worker has
its own), on SQLite as a file and on PostgreSQL as a template database, and every test gets
a copy: ``shutil.copyfile`` of the file, ``CREATE DATABASE ... TEMPLATE``. The copy holds
exactly what migrating and seeding would have left, ids and sequences included.

Building a template still runs the Alembic migrations, the seed and the demo users' command
themselves; ``tests/integration/test_manage.py`` runs the commands as an operator does.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import psycopg

from shared.db import migrate
from shared.settings import Settings, from_env
from tests.support.people import SECRET_KEY

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
SQLITE = "sqlite:///"


# ---- the recipes: what a template holds -------------------------------------------------------


def _seed_directory(settings: Settings) -> None:
    from intake_service.bootstrap import bootstrap
    from intake_service.directory.seed import seed_con_cuong

    intake = bootstrap(settings)
    try:
        with intake.uow() as uow:
            seed_con_cuong(uow)  # the communes registrations come from
    finally:
        intake.engine.dispose()


def _relay_outbox(settings: Settings) -> None:
    """Empty the outbox, as if a relay had sent it (no relay runs for these tests)."""
    from intake_service.bootstrap import bootstrap

    intake = bootstrap(settings)
    try:
        with intake.uow() as uow:
            uow.session.execute(intake.outbox.table.delete())
            uow.commit()
    finally:
        intake.engine.dispose()


def _seed_demo(settings: Settings) -> None:
    """What ``python -m intake_service.manage seed-demo`` writes: its users, then the directory
    (the command itself, run here on the template's database)."""
    from intake_service import manage

    made, original = [], manage.bootstrap

    def bootstrap(settings):  # the command's own, remembered so that its engines are closed
        made.append(original(settings))
        return made[-1]

    try:
        with _environment(settings), contextlib.redirect_stdout(io.StringIO()), \
                mock.patch.object(manage, "bootstrap", bootstrap):
            manage.seed_demo_users()
    finally:
        for intake in made:
            intake.engine.dispose()


# service -> recipe -> (the recipe it starts from, or None for an empty database; the step)
RECIPES: dict[str, dict[str, tuple[str | None, Callable[[Settings], None]]]] = {
    "intake": {
        "schema": (None, lambda settings: migrate("intake_service", settings.intake_database_url)),
        "directory": ("schema", _seed_directory),  # its outbox still holds the seed's events
        "directory-relayed": ("directory", _relay_outbox),
        "demo": ("schema", _seed_demo),
    },
    "review": {
        "schema": (None, lambda settings: migrate("review_service", settings.review_database_url)),
    },
}


# ---- cloning ----------------------------------------------------------------------------------


def clone(service: str, recipe: str, url: str) -> None:
    """Make the database at ``url`` (SQLite file or PostgreSQL database) a copy of the template.

    Whatever was at ``url`` before is replaced; a PostgreSQL database is created if needed.
    """
    template = _TEMPLATES.get(service, recipe, real=not url.startswith("sqlite"))
    if url.startswith(SQLITE):
        target = Path(url.removeprefix(SQLITE))
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(template, target)
        return
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def discard() -> None:
    """Drop this process's templates (at the end of the session)."""
    _TEMPLATES.discard()


class _Templates:
    def __init__(self):
        self.run = f"{uuid.uuid4().hex[:8]}_{os.getpid()}"
        self.folder: Path | None = None
        self.built: dict[tuple[str, str, bool], str] = {}  # -> file path or database name

    def get(self, service: str, recipe: str, real: bool) -> str:
        key = (service, recipe, real)
        if key not in self.built:
            if recipe not in RECIPES[service]:
                raise KeyError(f"no template recipe {recipe!r} for {service}")
            self.built[key] = self._build(service, recipe, real)
        return self.built[key]

    def _build(self, service: str, recipe: str, real: bool) -> str:
        base, step = RECIPES[service][recipe]
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="dvk-templates-"))
        if real:
            name = f"dvk_tmpl_{self.run}_{service}_{recipe}".replace("-", "_")
            url = f"{PG_SERVER}/{name}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                if base is None:
                    admin.execute(f'CREATE DATABASE "{name}"')
                else:
                    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.get(service, base, real)}"')
            location = name
        else:
            path = self.folder / f"{service}-{recipe}.db"
            if base is not None:
                shutil.copyfile(self.get(service, base, real), path)
            url, location = f"{SQLITE}{path}", str(path)
        step(self._settings(service, url))
        self._quiesce(location, real)
        return location

    def _settings(self, service: str, url: str) -> Settings:
        return from_env({"DVK_DATA_DIR": str(self.folder), "SECRET_KEY": SECRET_KEY,
                         f"{service.upper()}_DATABASE_URL": url})

    @staticmethod
    def _quiesce(location: str, real: bool) -> None:
        """Leave the template copyable: no session may use a PostgreSQL template, and a SQLite
        file must hold everything written (not leave part of it in its write-ahead log)."""
        if real:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = %s AND pid <> pg_backend_pid()", (location,))
            return
        connection = sqlite3.connect(location)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()

    def discard(self) -> None:
        databases = [name for (_s, _r, real), name in self.built.items() if real]
        if databases:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                for name in reversed(databases):  # a template after those cloned from it
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.built, self.folder = {}, None


_TEMPLATES = _Templates()


@contextlib.contextmanager
def _environment(settings: Settings) -> Iterator[None]:
    """The process's environment pointing at ``settings``' databases, for commands that read it."""
    keys = {"DVK_DATA_DIR": str(settings.data_dir), "INTAKE_DATABASE_URL": settings.intake_database_url,
            "REVIEW_DATABASE_URL": settings.review_database_url}
    saved = {key: os.environ.get(key) for key in keys}
    os.environ.update(keys)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
