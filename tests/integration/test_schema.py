"""Each service's migrations build exactly the tables its features declare, in one line of revisions."""

from __future__ import annotations

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from shared.db import make_engine, migrate
from tests.conftest import ENGINE_KINDS, require_engines
from tests.support.engines import drop_databases, environment

SERVICES = {"intake_service": "INTAKE_DATABASE_URL", "review_service": "REVIEW_DATABASE_URL"}


def _url(kind: str, env: dict, service: str, tmp_path) -> str:
    return env.get(SERVICES[service]) or f"sqlite:///{tmp_path}/{service}.db"


def _scripts(service: str) -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", f"{service}:migrations")
    return ScriptDirectory.from_config(config)


def _differences(engine, metadata) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        found = compare_metadata(context, metadata)
    # SQLite and PostgreSQL name some indexes and constraints on their own; tables and columns count.
    return [d for d in found if isinstance(d, tuple) and d[0] in ("add_table", "remove_table",
                                                                  "add_column", "remove_column")]


@pytest.mark.parametrize("service", SERVICES)
def test_the_migrations_form_one_line_with_one_head(service):
    scripts = _scripts(service)
    assert len(scripts.get_heads()) == 1
    assert all(r.down_revision is None or isinstance(r.down_revision, str) for r in scripts.walk_revisions())


@pytest.mark.parametrize("kind", ENGINE_KINDS)
@pytest.mark.parametrize("service", SERVICES)
def test_a_migrated_database_holds_every_table_the_features_declare_and_no_other(service, kind, tmp_path):
    require_engines(kind)
    env = environment(kind, tmp_path)
    url = _url(kind, env, service, tmp_path)
    try:
        migrate(service, url)
        engine = make_engine(url)
        try:
            metadata = importlib.import_module(f"{service}.tables").metadata()
            assert _differences(engine, metadata) == []
        finally:
            engine.dispose()
    finally:
        drop_databases(env)


@pytest.mark.parametrize("service", SERVICES)
def test_a_database_migrated_branch_by_branch_is_joined_and_upgraded(service, tmp_path):
    url = f"sqlite:///{tmp_path}/{service}.db"
    migrate(service, url)
    line = [r.revision for r in _scripts(service).walk_revisions()]  # newest first
    engine = make_engine(url)
    try:
        with engine.begin() as db:  # as the branches left it: every feature's revision recorded
            db.execute(text("DELETE FROM alembic_version"))
            for revision in line[:-1]:
                db.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
        migrate(service, url)
        with engine.connect() as db:
            assert db.scalars(text("SELECT version_num FROM alembic_version")).all() == [line[0]]
    finally:
        engine.dispose()
