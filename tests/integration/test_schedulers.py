"""Two schedulers of one service are started (a second host, a supervisor's mistake): only one
enqueues; when it dies the other takes over, within the life of the lock."""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest
from rq import Queue

from shared import embedded, jobs
from shared.settings import from_env
from tests.conftest import ENGINE_KINDS, require_engines
from tests.support.engines import drop_databases, environment
from tests.support.stack import Stack, wait_for

LOCK_SECONDS = 3
# purge, abandoned imports, stalled exports, reminders, emails, thumbnails, tallies refreshed and rebuilt
INTAKE_JOBS = 8


@pytest.fixture(params=ENGINE_KINDS)
def stack(request, tmp_path):
    """Intake's environment, with a short-lived scheduler lock, and no process started yet."""
    require_engines(request.param)
    env = environment(request.param, tmp_path / "data") | {
        "DVK_SCHEDULER_LOCK_SECONDS": str(LOCK_SECONDS)}
    (tmp_path / "logs").mkdir()
    started = Stack(env, tmp_path / "logs")
    started.settings = from_env(env)
    started.redis = jobs.connect(started.settings)
    yield started
    started.stop_all()
    Queue(started.settings.job_queue, connection=started.redis).delete(delete_jobs=True)
    started.redis.delete(*started.redis.keys(f"{started.settings.namespace}.*") or ["-"])
    started.redis.close()
    if request.param == "embedded":
        embedded.stop(started.settings.data_dir, keep=False)
    drop_databases(env)


def enqueued(stack) -> Counter:
    """How often each periodic job was put on the deployment's queue (no worker takes them)."""
    queue = Queue(stack.settings.job_queue, connection=stack.redis)
    return Counter(job.func_name for job in queue.get_jobs())


def holder(stack) -> str | None:
    value = stack.redis.get(f"{stack.settings.namespace}.scheduler.intake.lock")
    return value.decode() if value else None


def heartbeat(stack) -> float:
    value = stack.redis.get(f"{stack.settings.namespace}.scheduler.intake.heartbeat")
    return float(value) if value else 0.0


def test_of_two_schedulers_one_enqueues_and_the_other_takes_over_when_it_dies(stack):
    first = stack.start("intake_scheduler")
    second = stack.start("intake_scheduler", as_name="intake_scheduler_2")
    wait_for(lambda: sum(enqueued(stack).values()) >= INTAKE_JOBS, timeout=30,
             message="the periodic jobs enqueued")
    time.sleep(LOCK_SECONDS)  # the standby's chances to enqueue too

    assert set(enqueued(stack).values()) == {1}
    assert len(enqueued(stack)) == INTAKE_JOBS
    running = {f"{p.pid}": name for name, p in (("intake_scheduler", first),
                                                ("intake_scheduler_2", second))}
    leader = running[holder(stack).rsplit(":", 1)[1]]
    assert time.time() - heartbeat(stack) < LOCK_SECONDS

    stack.kill(leader, signal.SIGKILL)  # no release: the lock must expire
    standby = next(name for name in running.values() if name != leader)
    wait_for(lambda: set(enqueued(stack).values()) == {2}, timeout=LOCK_SECONDS * 3,
             message="the standby enqueueing, once the dead leader's lock expired")
    assert holder(stack).rsplit(":", 1)[1] == str(stack.processes[standby].pid)
    assert time.time() - heartbeat(stack) < LOCK_SECONDS


def test_a_scheduler_stopped_by_its_supervisor_hands_over_at_once(stack):
    stack.start("intake_scheduler")
    wait_for(lambda: holder(stack), message="the first scheduler holding the lock")
    stack.start("intake_scheduler", as_name="intake_scheduler_2")
    wait_for(lambda: sum(enqueued(stack).values()) >= INTAKE_JOBS, message="the jobs enqueued")

    stack.kill("intake_scheduler", signal.SIGTERM)
    assert holder(stack) is None or holder(stack).endswith(f":{stack.processes['intake_scheduler_2'].pid}")
    wait_for(lambda: set(enqueued(stack).values()) == {2}, timeout=LOCK_SECONDS * 3,
             message="the second scheduler enqueueing")
