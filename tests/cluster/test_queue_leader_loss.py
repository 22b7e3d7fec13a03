"""The node leading the review queue dies while units submit: the cluster carries on, and every
submission reaches review exactly once."""

from __future__ import annotations

import signal
import threading
import time

import psutil
from sqlalchemy import text

from shared import broker, deadletters
from tests.integration.system import review_rows
from tests.support.rabbit_cluster import Node, RabbitCluster
from tests.support.stack import Stack, wait_for

SUBMISSIONS = 300
KILL_AFTER = 100  # submissions made before the leader's node dies


def connected_node(process: psutil.Process, cluster: RabbitCluster) -> Node | None:
    """The cluster node a process holds an AMQP connection to, if any."""
    ports = {node.amqp_port: node for node in cluster.nodes}
    for link in process.net_connections(kind="tcp"):
        if link.raddr and link.status == psutil.CONN_ESTABLISHED and link.raddr.port in ports:
            return ports[link.raddr.port]
    return None


def land_on(stack: Stack, name: str, node: Node, cluster: RabbitCluster,
            nudge=lambda: None) -> None:
    """Restart a process until its connection, made from a random node of the list, is to ``node``.

    ``nudge`` gives it a reason to connect (a relay connects when it has rows to publish).
    """
    for _ in range(30):
        process = psutil.Process(stack.processes[name].pid)
        nudge()
        found = wait_for(lambda p=process: connected_node(p, cluster), timeout=60,
                         message=f"{name} connected to the cluster")
        if found is node:
            return
        stack.kill(name, signal.SIGTERM)
        stack.start(name)
    raise AssertionError(f"{name} never connected to {node.name}")


class Progress(threading.Thread):
    """Samples how many review items exist, to tell how long delivery stalled."""

    def __init__(self, system):
        super().__init__(daemon=True)
        self.system = system
        self.samples: list[tuple[float, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            count = review_rows(self.system, "SELECT COUNT(*) FROM review_items")[0][0]
            self.samples.append((time.monotonic(), count))
            time.sleep(0.05)

    def longest_stall_after(self, moment: float) -> float:
        """The longest time after ``moment`` that the count stood still before it moved again."""
        moved = [t for (t, n), (_, before) in zip(self.samples[1:], self.samples, strict=False)
                 if n != before and t > moment]
        marks = [moment, *moved]
        return max((later - earlier for earlier, later in zip(marks, marks[1:], strict=False)),
                   default=0.0)


def test_the_review_queue_leader_dies_while_units_submit_and_every_submission_reaches_review_once(
        cluster_system, rabbit_cluster):
    system, cluster = cluster_system, rabbit_cluster
    warm_up = system.register("donvi", title="Mô hình trước khi mất một nút")
    system.wait_submission(warm_up, "in_review", stage="commune", timeout=90)  # the line is live

    queue = broker.topology(system.settings).queue_name("review")
    leader_name, members = cluster.queue_members(queue, via=cluster.nodes[0])
    assert members == sorted(node.name for node in cluster.nodes)  # a replica on every node
    leader = cluster.node_named(leader_name)
    survivor = next(node for node in cluster.nodes if node is not leader)
    # What carries a submission into review is on the node that will die.
    land_on(system.stack, "intake_relay", leader, cluster,
            nudge=lambda: system.register("donvi", title="Mô hình chờ bộ chuyển tiếp"))
    land_on(system.stack, "review_consumer", leader, cluster)

    ids: list[int] = []
    submitter = threading.Thread(daemon=True, target=lambda: ids.extend(
        system.register("donvi", title=f"Mô hình vận động quần chúng số {n}")
        for n in range(SUBMISSIONS)))
    progress = Progress(system)
    progress.start()
    submitter.start()
    try:
        wait_for(lambda: len(ids) >= KILL_AFTER or not submitter.is_alive(), timeout=120,
                 message="submissions under way")
        cluster.kill(leader)
        killed_at = time.monotonic()
        submitted_when_killed = len(ids)
        submitter.join(timeout=300)
        assert not submitter.is_alive()
        assert len(ids) == SUBMISSIONS  # units noticed nothing
        assert submitted_when_killed < SUBMISSIONS  # units went on submitting after it died

        wait_for(lambda: _reviewed(system, ids) == SUBMISSIONS, timeout=180,
                 message="every submission in review")
        wait_for(lambda: _in_review_at_intake(system, ids) == SUBMISSIONS, timeout=120,
                 message="intake told of every review")
        progress.done.set()

        per_submission = dict(review_rows(
            system, "SELECT submission_id, COUNT(*) FROM review_items "
                    "WHERE submission_id = ANY(:ids) GROUP BY submission_id", ids=ids))
        assert per_submission == {i: 1 for i in ids}  # none lost, none doubled
        opened = review_rows(
            system, "SELECT COUNT(*) FROM audit_log a JOIN review_items i ON a.item_id = i.id "
                    "WHERE a.action = 'opened' AND i.submission_id = ANY(:ids)", ids=ids)[0][0]
        assert opened == SUBMISSIONS
        assert deadletters.peek(system.settings, "review") == []
        assert deadletters.peek(system.settings, "intake") == []
        new_leader, _ = cluster.queue_members(queue, via=survivor)
        assert new_leader != leader.name
        stall = progress.longest_stall_after(killed_at)
        print(f"delivery into review stalled for at most {stall:.1f}s after {leader.name} died")
    finally:
        progress.done.set()
        cluster.revive(leader)


def _reviewed(system, ids: list[int]) -> int:
    return review_rows(system, "SELECT COUNT(DISTINCT submission_id) FROM review_items "
                               "WHERE submission_id = ANY(:ids)", ids=ids)[0][0]


def _in_review_at_intake(system, ids: list[int]) -> int:
    engine = system.intake.application.extensions["intake"].engine
    with engine.connect() as db:
        return db.execute(text("SELECT COUNT(*) FROM submissions WHERE id = ANY(:ids) "
                               "AND status = 'in_review'"), {"ids": ids}).scalar_one()
