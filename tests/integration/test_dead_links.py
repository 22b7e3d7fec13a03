"""A link to the broker that goes silent — no reset, no close, just nothing — stalls nobody: the
relay and the consumer notice it within about two heartbeats, say so, hold no database lock
meanwhile, and carry on once the link is back, every event arriving once."""

from __future__ import annotations

import signal
import time

import psycopg
import pytest

from tests.conftest import require_engines
from tests.integration.system import review_rows, start_system, stop_system
from tests.support.engines import broker_in_use
from tests.support.stack import wait_for
from tests.support.tcp_proxy import TcpProxy

HEARTBEAT = 2  # seconds: a dead link is noticed after about twice that


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    """The pipeline on the real engines, intake's relay and review's consumer reaching RabbitMQ
    through a proxy (yielded with the system) and beating every two seconds."""
    require_engines("real")
    with broker_in_use(), TcpProxy("127.0.0.1", 5672) as proxy:
        running = start_system("real", tmp_path_factory.mktemp("dead-links"))
        saved = dict(running.stack.env)
        running.stack.env |= {"BROKER_URL": proxy.url_for("amqp://guest:guest@", "//"),
                              "DVK_HEARTBEAT_SECONDS": str(HEARTBEAT)}
        for name in ("intake_relay", "review_consumer"):
            running.stack.kill(name, signal.SIGTERM)
            running.stack.start(name)
        running.stack.env = saved
        yield running, proxy
        stop_system(running)


def log_of(system, name: str) -> str:
    return "".join(path.read_text() for path in system.stack.log_dir.glob(f"{name}-*.log"))


def intake_database(system) -> str:
    return system.env["INTAKE_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")


def lingering_transactions(system) -> list[tuple]:
    """Sessions on intake's database left idle inside a transaction for over a second."""
    with psycopg.connect(intake_database(system), autocommit=True) as db:
        return db.execute(
            "SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%%' AND now() - state_change > interval '1 second'"
        ).fetchall()


def lock_unpublished_rows_at_once(system) -> int:
    """Take every unpublished outbox row with NOWAIT, as another relay or an operator would;
    raises if any row is locked."""
    with psycopg.connect(intake_database(system)) as db:
        rows = db.execute("SELECT id FROM outbox WHERE published_at IS NULL "
                          "FOR UPDATE NOWAIT").fetchall()
        db.rollback()
    return len(rows)


def opened(system, submission_ids: list[int]) -> dict[int, int]:
    listed = ",".join(map(str, submission_ids))
    return dict(review_rows(
        system,
        "SELECT i.submission_id, COUNT(*) FROM audit_log a JOIN review_items i ON a.item_id = i.id "
        f"WHERE a.action = 'opened' AND i.submission_id IN ({listed}) GROUP BY i.submission_id"))


def test_a_silent_broker_link_is_noticed_holds_no_outbox_row_and_every_event_arrives_once(system):
    system, proxy = system
    before = system.register("donvi", title="Mô hình trước khi đường truyền im lặng")
    system.wait_submission(before, "in_review", stage="commune", timeout=60)

    proxy.black_hole()
    try:
        during = [system.register("donvi", title=f"Mô hình khi đường truyền im lặng số {n}")
                  for n in range(5)]
        silent_since = time.monotonic()
        locked_rows = 0
        while time.monotonic() - silent_since < 6 * HEARTBEAT:
            assert lingering_transactions(system) == []
            locked_rows = max(locked_rows, lock_unpublished_rows_at_once(system))
            time.sleep(0.5)
        assert locked_rows >= len(during)  # the outage's rows were there, and never locked
        wait_for(lambda: "the broker link is dead" in log_of(system, "intake_relay"), timeout=10,
                 message="the relay's line about the dead link")
        wait_for(lambda: "Connection to broker lost" in log_of(system, "review_consumer"),
                 timeout=10, message="the consumer's line about the dead link")
        assert not opened(system, during)
    finally:
        proxy.pass_through()

    for submission_id in during:
        system.wait_submission(submission_id, "in_review", stage="commune", timeout=60)
    assert opened(system, [before, *during]) == {i: 1 for i in [before, *during]}
    wait_for(lambda: "the relay reconnected to the broker" in log_of(system, "intake_relay"),
             timeout=10, message="the relay's line about its new connection")

    after = system.register("donvi", title="Mô hình sau khi đường truyền trở lại")
    system.wait_submission(after, "in_review", stage="commune", timeout=30)
    assert lock_unpublished_rows_at_once(system) == 0
