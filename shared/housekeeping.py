"""Housekeeping jobs for rq: the outbox and inbox must not grow forever.

Published outbox rows are kept a week (for inspection); consumed event ids are
kept thirty days, far longer than any redelivery, so duplicates are still
recognised. Each service's ``*_scheduler`` process enqueues these hourly; a worker runs them.
"""

from __future__ import annotations

import signal
from datetime import datetime, timedelta

from sqlalchemy import MetaData, delete

from shared import clock, jobs, logs
from shared.db import make_engine
from shared.messaging import inbox_table, outbox_table
from shared.settings import Settings, for_process, from_env

OUTBOX_KEEP = timedelta(days=7)
INBOX_KEEP = timedelta(days=30)


def _database_url(settings: Settings, service: str) -> str:
    return {"intake": settings.intake_database_url, "review": settings.review_database_url}[service]


def purge_messaging_tables(service: str, now: datetime | None = None) -> dict[str, int]:
    """Delete published outbox rows and old inbox ids of one service; return the counts."""
    now = now or clock.now()
    metadata = MetaData()
    outbox, inbox = outbox_table(metadata), inbox_table(metadata)
    engine = make_engine(_database_url(from_env(), service))
    try:
        with engine.begin() as db:
            sent = db.execute(delete(outbox).where(outbox.c.published_at < now - OUTBOX_KEEP))
            seen = db.execute(delete(inbox).where(inbox.c.received_at < now - INBOX_KEEP))
    finally:
        engine.dispose()
    return {"outbox": sent.rowcount, "inbox": seen.rowcount}


def run_cron(register, service: str) -> None:
    """Run rq's cron scheduler with the jobs ``register(scheduler)`` adds, in one process of the
    service at a time (the others stand by, ``jobs.SoleScheduler``); a worker runs the jobs."""
    from rq.cron import CronScheduler

    logs.configure(logs.process_name())  # JSON lines on stderr
    settings = for_process()  # a bad or development-only variable ends the start, named
    connection = jobs.connect(settings)
    scheduler = CronScheduler(connection=connection)
    register(jobs.Schedule(scheduler, settings.job_queue))
    sole = jobs.SoleScheduler(scheduler, connection, settings.namespace, service,
                              lock_seconds=float(settings.environ.get("DVK_SCHEDULER_LOCK_SECONDS", "30")))
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, lambda *_: sole.stop())
    sole.run()


def register_purge(scheduler, service: str) -> None:
    """Purge one service's outbox and inbox every hour."""
    scheduler.register(purge_messaging_tables, kwargs={"service": service},
                       interval=3600, name=f"purge-{service}")
