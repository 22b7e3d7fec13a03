from __future__ import annotations

import pytest

from intake_service.bootstrap import bootstrap
from intake_service.directory.seed import seed_con_cuong
from intake_service.tables import outbox
from shared.db import migrate
from shared.settings import from_env
from tests.conftest import ENGINE_KINDS, require_engines
from tests.integration.system import start_system, stop_system
from tests.support.engines import drop_databases, environment


@pytest.fixture(scope="module", params=ENGINE_KINDS)
def system(request, tmp_path_factory):
    """The whole pipeline running on one kind of engines, shared by a module's tests."""
    require_engines(request.param)
    running = start_system(request.param, tmp_path_factory.mktemp(request.param))
    yield running
    stop_system(running)
    if request.node.session.testsfailed:
        print(running.stack.logs())


@pytest.fixture(params=ENGINE_KINDS)
def intake_env(request, tmp_path, monkeypatch):
    """Intake's database migrated (with Con Cuông's directory) on one kind of engines, its
    variables set in the environment."""
    require_engines(request.param)
    variables = environment(request.param, tmp_path)
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    migrate("intake_service", from_env().intake_database_url)
    intake = bootstrap(from_env())
    with intake.uow() as uow:
        seed_con_cuong(uow)  # the communes registrations come from
        uow.session.execute(outbox.delete())  # as if relayed: no relay runs for these tests
        uow.commit()
    intake.engine.dispose()
    yield variables
    if request.param == "embedded":
        from shared import embedded

        embedded.stop(tmp_path)
    drop_databases(variables)
