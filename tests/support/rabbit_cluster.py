"""A three-node RabbitMQ cluster on this machine, for the cluster tier.

Each node is a ``rabbitmq-server`` of its own, next to (and apart from) the machine's broker:
its own node name, AMQP and distribution ports (free ones, so two test processes never
collide), data, logs, configuration and an empty plugin list (no management listener), all in
one temporary folder. They share an Erlang cookie through ``HOME``, which both the servers and
the CLI tools read. The nodes boot together; nodes 2 and 3 then join node 1
(``stop_app`` / ``join_cluster`` / ``start_app``). Everything is killed and removed afterwards,
also when the start fails half-way.

The package's scripts are run directly, not through Debian's wrapper in ``/usr/sbin``, which
switches to the ``rabbitmq`` user and drops the environment that tells each node apart.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

SIZE = 3
DEBIAN_SCRIPTS = Path("/usr/lib/rabbitmq/bin")  # the rabbitmq-server package's own scripts
BOOT_TIMEOUT = 90
# The CLI tools are short-lived Erlang nodes too; keep theirs apart from the machine's broker's.
CLI_DIST_PORTS = {"RABBITMQ_CTL_DIST_PORT_MIN": "35700", "RABBITMQ_CTL_DIST_PORT_MAX": "35730"}


def scripts_dir() -> Path | None:
    """Where ``rabbitmq-server`` and ``rabbitmqctl`` can be run as they are, if installed."""
    if (DEBIAN_SCRIPTS / "rabbitmq-server").exists():
        return DEBIAN_SCRIPTS
    found = shutil.which("rabbitmq-server")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Node:
    name: str  # the Erlang node name, e.g. dvk-1a2b3c4d-1@localhost
    amqp_port: int
    dist_port: int
    home: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.amqp_port}//"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class RabbitCluster:
    """Three RabbitMQ nodes clustered on 127.0.0.1; ``broker_url`` lists them all."""

    def __init__(self, root: Path, scripts: Path, size: int = SIZE):
        self.root = root
        self.scripts = scripts
        run = uuid.uuid4().hex[:8]
        self.nodes = [Node(f"dvk-{run}-{n}@localhost", _free_port(), _free_port(), root / f"node-{n}")
                      for n in range(1, size + 1)]
        self.boot_seconds: float | None = None

    @property
    def broker_url(self) -> str:
        """A failover BROKER_URL: every node, separated by ';'."""
        return ";".join(node.url for node in self.nodes)

    # -- starting and stopping ---------------------------------------------------------------

    def start(self) -> None:
        began = time.monotonic()
        self._write_shared_files()
        for node in self.nodes:
            self._boot(node)
        for node in self.nodes:
            self._await_listener(node)
        first, joining = self.nodes[0], self.nodes[1:]
        self._on_each(joining, "stop_app")
        for node in joining:  # one at a time: each join changes node 1's cluster schema
            self.ctl(node, "join_cluster", first.name)
        self._on_each(joining, "start_app")
        self.boot_seconds = time.monotonic() - began

    def _on_each(self, nodes: list[Node], *args: str) -> None:
        with ThreadPoolExecutor(len(nodes)) as pool:
            list(pool.map(lambda node: self.ctl(node, *args), nodes))

    def stop(self) -> None:
        """Kill every node (nothing of theirs is kept) and remove their folder."""
        for node in self.nodes:
            self.kill(node)
        shutil.rmtree(self.root, ignore_errors=True)

    def kill(self, node: Node) -> None:
        """Stop a node hard, as a crash or a pulled plug would: SIGKILL to its whole process group."""
        if node.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(node.process.pid, signal.SIGKILL)
        node.process.wait(timeout=30)

    def revive(self, node: Node) -> None:
        """Start a killed node again on its own data: it rejoins the cluster it was in."""
        if node.running:
            return
        self._boot(node)
        self._await_listener(node)
        self.ctl(node, "await_startup")

    def _write_shared_files(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        cookie = self.root / ".erlang.cookie"
        cookie.write_text("".join(secrets.choice(string.ascii_uppercase) for _ in range(20)))
        cookie.chmod(0o400)
        (self.root / "enabled_plugins").write_text("[].\n")
        (self.root / "rabbitmq-env.conf").write_text("")  # not the machine's broker's

    def _boot(self, node: Node) -> None:
        (node.home / "log").mkdir(parents=True, exist_ok=True)
        config = node.home / "rabbitmq.conf"
        config.write_text(f"listeners.tcp.local = 127.0.0.1:{node.amqp_port}\n")
        env = self._env() | {
            "RABBITMQ_NODENAME": node.name,
            "RABBITMQ_NODE_PORT": str(node.amqp_port),
            "RABBITMQ_DIST_PORT": str(node.dist_port),
            "RABBITMQ_MNESIA_BASE": str(node.home / "mnesia"),
            "RABBITMQ_LOG_BASE": str(node.home / "log"),
            "RABBITMQ_CONFIG_FILE": str(config),
            "RABBITMQ_PID_FILE": str(node.home / "pid"),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }
        with open(node.home / "log" / "console.log", "w") as console:
            node.process = subprocess.Popen(
                [str(self.scripts / "rabbitmq-server")], cwd=node.home, env=env,
                stdout=console, stderr=subprocess.STDOUT, start_new_session=True)

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "HOME": str(self.root),  # the shared .erlang.cookie, for the servers and the CLI
            "RABBITMQ_CONF_ENV_FILE": str(self.root / "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.root / "enabled_plugins"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            **CLI_DIST_PORTS,
        }

    def _await_listener(self, node: Node) -> None:
        deadline = time.monotonic() + BOOT_TIMEOUT
        while not _listening(node.amqp_port):
            if not node.running:
                raise RuntimeError(f"RabbitMQ node {node.name} exited while booting:\n{self.log(node)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"RabbitMQ node {node.name} did not boot:\n{self.log(node)}")
            time.sleep(0.2)

    # -- asking the cluster ------------------------------------------------------------------

    def ctl(self, node: Node, *args: str, tool: str = "rabbitmqctl") -> str:
        """Run a CLI tool against ``node``; its output, or an error carrying what it said."""
        result = subprocess.run([str(self.scripts / tool), "-q", "-n", node.name, *args],
                                env=self._env(), cwd=self.root, capture_output=True, text=True,
                                timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)} on {node.name} failed: "
                               f"{result.stdout}{result.stderr}")
        return result.stdout

    def running_nodes(self, via: Node) -> list[str]:
        """The node names the cluster says are running, asked of ``via``."""
        import json

        status = json.loads(self.ctl(via, "cluster_status", "--formatter", "json"))
        return sorted(status["running_nodes"])

    def queue_members(self, queue: str, via: Node) -> tuple[str, list[str]]:
        """(leader, members) of a quorum queue, asked of ``via``."""
        out = self.ctl(via, "list_queues", "name", "leader", "members", "--no-table-headers")
        for line in out.splitlines():
            name, leader, members = line.split("\t")
            if name == queue:
                return leader, sorted(m.strip(" []'\"") for m in members.strip("[]").split(","))
        raise LookupError(f"no queue {queue} on the cluster")

    def node_named(self, name: str) -> Node:
        return next(node for node in self.nodes if node.name == name)

    def log(self, node: Node) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:]
                         for p in sorted((node.home / "log").glob("*.log")))


@contextlib.contextmanager
def running_cluster(root: Path, scripts: Path) -> Iterator[RabbitCluster]:
    """A started cluster, always torn down afterwards, also when it failed to start."""
    cluster = RabbitCluster(root, scripts)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()

