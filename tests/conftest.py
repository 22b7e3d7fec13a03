"""Test tiers: ``unit`` (pure rules), ``integration`` (real delivery), ``e2e`` (browser).

Integration tests run twice: on the embedded defaults and on the real
PostgreSQL, RabbitMQ and Redis. In CI (``DVK_REQUIRE_REAL_ENGINES=1``) a
missing engine fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import sys

import pytest

from tests.support.engines import real_engines_available

ENGINE_KINDS = ("embedded", "real")


def pytest_configure(config):
    # Processes started as the Procfile starts them must find this environment's tools.
    bin_dir = os.path.dirname(sys.executable)
    if bin_dir not in os.environ["PATH"].split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ["PATH"]


def pytest_collection_modifyitems(items):
    for item in items:
        tier = item.path.parent.name
        if tier in ("unit", "integration", "e2e"):
            item.add_marker(getattr(pytest.mark, tier))


def require_engines(kind: str) -> None:
    if kind == "real" and not real_engines_available():
        if os.environ.get("DVK_REQUIRE_REAL_ENGINES") == "1":
            pytest.fail("PostgreSQL, RabbitMQ and Redis must be running for this run")
        pytest.skip("real engines are not running here")
