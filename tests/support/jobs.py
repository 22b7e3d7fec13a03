"""The Procfile's worker, for the jobs queued so far: one burst on the deployment's job queue."""

from __future__ import annotations

from rq import SimpleWorker

from shared import jobs
from shared.settings import Settings, from_env


class BurstWorker(SimpleWorker):
    """rq's worker in this process, for a burst, without the thread listening for commands.

    A worker listens on a pub/sub channel for "stop the job" commands, in a thread rq waits
    on for up to 60 s (redis-py 8 joins it without a timeout) when the burst ends; a burst in a
    test takes no commands, and so needs no such thread.
    """

    def subscribe(self) -> None:
        pass


def run_jobs(settings: Settings | None = None) -> None:
    """Run every job waiting on the queue of ``settings`` (default: the environment's), then stop."""
    settings = settings or from_env()
    connection = jobs.connect(settings)
    try:
        BurstWorker([jobs.queue(settings, connection)], connection=connection).work(burst=True)
    finally:
        connection.close()
