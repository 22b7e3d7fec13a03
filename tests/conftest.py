"""Test tiers: ``unit`` (pure rules), ``integration`` (real delivery), ``e2e`` (browser).

Integration tests run twice: on the embedded defaults and on the real
PostgreSQL, RabbitMQ and Redis. In CI (``DVK_REQUIRE_REAL_ENGINES=1``) a
missing engine fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import sys

import pytest

from intake_service.accounts import services as accounts
from tests.support import templates
from tests.support.engines import broker_in_use, real_engines_available

ENGINE_KINDS = ("embedded", "real")
# Accounts made by the tests (and the templates' demo users) hash their passwords in microseconds;
# a stored hash names its method, so the services check them as they check scrypt's.
FAST_PASSWORDS = "pbkdf2:sha256:1"


def pytest_configure(config):
    # Processes started as the Procfile starts them must find this environment's tools.
    bin_dir = os.path.dirname(sys.executable)
    if bin_dir not in os.environ["PATH"].split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ["PATH"]
    accounts.use_password_method(FAST_PASSWORDS)


def pytest_sessionfinish(session):
    templates.discard()  # this process's template databases


def pytest_collection_modifyitems(items):
    for item in items:
        tier = item.path.parent.name
        if tier in ("unit", "integration", "e2e"):
            item.add_marker(getattr(pytest.mark, tier))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``-n 2 --dist loadscope`` (pytest-xdist), its tests shared out by module and engine kind.

    A module's tests on one kind of engines run on the same process, so what they share — the
    running system, the browser's site, apps built once for the module — is set up once; the
    embedded and the real half of a module can run side by side. Other modes are xdist's own.
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModuleAndEngine(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module, _, test = nodeid.partition("::")
            params = test[test.find("[") + 1:-1].split("-") if test.endswith("]") else []
            kind = next((kind for kind in ENGINE_KINDS if kind in params), None)
            return f"{module}::{kind}" if kind else module

    return ByModuleAndEngine(config, log)


def require_engines(kind: str) -> None:
    if kind != "real":
        return
    with broker_in_use():  # waits while another test process has RabbitMQ stopped
        available = real_engines_available()
    if not available:
        if os.environ.get("DVK_REQUIRE_REAL_ENGINES") == "1":
            pytest.fail("PostgreSQL, RabbitMQ and Redis must be running for this run")
        pytest.skip("real engines are not running here")
