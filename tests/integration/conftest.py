from __future__ import annotations

import pytest

from tests.conftest import ENGINE_KINDS, require_engines
from tests.integration.system import start_system, stop_system


@pytest.fixture(scope="module", params=ENGINE_KINDS)
def system(request, tmp_path_factory):
    """The whole pipeline running on one kind of engines, shared by a module's tests."""
    require_engines(request.param)
    running = start_system(request.param, tmp_path_factory.mktemp(request.param))
    yield running
    stop_system(running)
    if request.node.session.testsfailed:
        print(running.stack.logs())
