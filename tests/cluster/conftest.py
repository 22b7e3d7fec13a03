"""The cluster tier: the system on a three-node RabbitMQ cluster started on this machine.

The cluster (``tests/support/rabbit_cluster.py``) is started once per test process and
torn down at its end; PostgreSQL and Redis are the machine's, as in the real-engines half
of the integration tier. Without them, or without RabbitMQ's scripts, the tier is skipped,
except in CI (``DVK_REQUIRE_REAL_ENGINES=1``), where that fails the run. The machine's own
broker is never touched: every node has its own ports, names and data.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shared import embedded
from shared.settings import from_env
from tests.conftest import require_engines
from tests.integration.system import PIPELINE, System, stop_system
from tests.support.engines import broker_in_use, environment, prepare
from tests.support.rabbit_cluster import RabbitCluster, running_cluster, scripts_dir
from tests.support.stack import Stack

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.cluster)


@pytest.fixture(scope="session")
def rabbit_cluster(tmp_path_factory):
    """Three clustered RabbitMQ nodes on 127.0.0.1, for the whole test process."""
    require_engines("real")
    scripts = scripts_dir()
    if scripts is None:
        if os.environ.get("DVK_REQUIRE_REAL_ENGINES") == "1":
            pytest.fail("rabbitmq-server must be installed for the cluster tier")
        pytest.skip("rabbitmq-server is not installed here")
    with running_cluster(tmp_path_factory.mktemp("rabbit-cluster"), scripts) as cluster:
        print(f"three-node RabbitMQ cluster up in {cluster.boot_seconds:.1f}s")
        yield cluster


def start_on_cluster(cluster: RabbitCluster, tmp: Path, processes=PIPELINE) -> System:
    """The system with every node of the cluster in BROKER_URL, its relays and consumers
    started as the Procfile starts them; PostgreSQL and Redis are the machine's."""
    env = environment("real", tmp / "data") | {"BROKER_URL": cluster.broker_url}
    prepare(env)
    (tmp / "logs").mkdir(exist_ok=True)
    stack = Stack(env, tmp / "logs")
    for name in processes:
        stack.start(name)
    settings = from_env(env)
    embedded.serve(settings)
    return System(kind="real", env=env, settings=settings, stack=stack)


@pytest.fixture
def cluster_system(request, rabbit_cluster, tmp_path):
    """The whole pipeline on the cluster, for one test."""
    # The machine's PostgreSQL and Redis are in use: a test of another process that restarts
    # them waits (tests/support/engines.py).
    with broker_in_use():
        running = start_on_cluster(rabbit_cluster, tmp_path)
        yield running
        stop_system(running)
    if request.session.testsfailed:
        print(running.stack.logs())
        for node in rabbit_cluster.nodes:
            print(f"--- {node.name}\n{rabbit_cluster.log(node)}")
