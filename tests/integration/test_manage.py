"""The operator's commands, run as ``make migrate`` and ``make demo`` run them, on both engine kinds:
``manage migrate`` brings each database to its newest revision, ``manage seed-demo`` loads the
demo users (who sign in with the demo password) and Con Cuông's directory, and running it again
adds nothing. Their result is what the tests' "demo" template holds (``tests/support/templates.py``),
which the end-to-end and system tests copy instead of running the commands each time."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from intake_service.accounts import services as accounts
from intake_service.accounts.tables import User
from intake_service.bootstrap import bootstrap
from intake_service.directory.tables import OrgUnit
from intake_service.manage import DEMO_PASSWORD, DEMO_USERS
from shared.db import make_engine
from shared.settings import from_env
from tests.conftest import ENGINE_KINDS, require_engines
from tests.support import templates
from tests.support.engines import drop_databases, environment


def manage(env: dict[str, str], service: str, *command: str) -> str:
    done = subprocess.run(["python", "-m", f"{service}.manage", *command], env={**os.environ, **env},
                          capture_output=True, text=True, check=True)
    return done.stdout


def head(service: str) -> set[str]:
    config = Config()
    config.set_main_option("script_location", f"{service}:migrations")
    return set(ScriptDirectory.from_config(config).get_heads())


def revisions(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as db:
            return set(db.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        engine.dispose()


def contents(url: str) -> tuple[list, list]:
    """The users (without their password hashes, salted) and the org units a database holds."""
    intake = bootstrap(from_env({"INTAKE_DATABASE_URL": url}))
    try:
        with intake.sessions() as db:
            users = [(u.id, u.username, u.name, u.role, u.scope)
                     for u in db.scalars(select(User).order_by(User.id))]
            units = list(db.execute(select(OrgUnit.code, OrgUnit.name, OrgUnit.parent_code)
                                    .order_by(OrgUnit.code)))
        return users, units
    finally:
        intake.engine.dispose()


@pytest.fixture(params=ENGINE_KINDS)
def env(request, tmp_path):
    require_engines(request.param)
    variables = environment(request.param, tmp_path)
    yield variables
    drop_databases(variables)


def test_migrate_and_seed_demo_leave_what_the_demo_template_holds_and_seeding_twice_adds_nothing(
        env, tmp_path):
    settings = from_env(env)
    manage(env, "intake_service", "migrate")
    manage(env, "review_service", "migrate")
    assert revisions(settings.intake_database_url) == head("intake_service")
    assert revisions(settings.review_database_url) == head("review_service")

    first = manage(env, "intake_service", "seed-demo")
    assert f"password {DEMO_PASSWORD}" in first
    seeded = contents(settings.intake_database_url)
    assert [user[1] for user in seeded[0]] == [username for username, *_ in DEMO_USERS]
    assert int(re.search(r"org units: (\d+) new", first).group(1)) == len(seeded[1]) > 0

    again = manage(env, "intake_service", "seed-demo")
    assert "org units: 0 new, 0 changed" in again
    assert contents(settings.intake_database_url) == seeded

    intake = bootstrap(settings)
    try:
        with intake.sessions() as db:
            assert accounts.authenticate(db, "huyen", DEMO_PASSWORD).role == "district_reviewer"
    finally:
        intake.engine.dispose()

    copy = f"sqlite:///{tmp_path}/template-copy.db" if "INTAKE_DATABASE_URL" not in env \
        else settings.intake_database_url + "_copy"
    templates.clone("intake", "demo", copy)
    try:
        assert contents(copy) == seeded
    finally:
        drop_databases({"INTAKE_DATABASE_URL": copy} if copy.startswith("postgresql") else {})


def test_the_token_command_makes_a_named_expiring_token_the_user_sees_listed(env):
    from intake_service.accounts.tables import ApiToken
    from shared import tokens

    settings = from_env(env)
    manage(env, "intake_service", "migrate")
    manage(env, "intake_service", "seed-demo")
    token = manage(env, "intake_service", "token", "huyen", "--name", "sao lưu hằng đêm").strip()
    grant = tokens.verify(settings.secret_key, token)
    assert grant is not None and grant.identity.role == "district_reviewer"
    intake = bootstrap(settings)
    try:
        with intake.sessions() as db:
            row = db.get(ApiToken, grant.token_id)
            assert (row.name, row.token_hash) == ("sao lưu hằng đêm", tokens.digest(token))
            assert abs(row.expires_at - grant.expires_at).total_seconds() < 1  # the same expiry
    finally:
        intake.engine.dispose()
