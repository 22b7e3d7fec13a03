"""The Procfile's worker, for the jobs queued so far: one burst on the deployment's job queue."""

from __future__ import annotations

from rq import SimpleWorker

from shared import jobs
from shared.settings import Settings, from_env


def run_jobs(settings: Settings | None = None) -> None:
    """Run every job waiting on the queue of ``settings`` (default: the environment's), then stop."""
    settings = settings or from_env()
    connection = jobs.connect(settings)
    try:
        SimpleWorker([jobs.queue(settings, connection)], connection=connection).work(burst=True)
    finally:
        connection.close()
