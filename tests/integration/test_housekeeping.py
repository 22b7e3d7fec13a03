"""Published outbox rows and old inbox ids are purged by an rq job, on both kinds of engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rq import Queue
from sqlalchemy import insert, select

from intake_service import tables
from shared import jobs as job_queue
from shared.db import make_engine
from shared.housekeeping import purge_messaging_tables
from shared.settings import from_env
from tests.support.jobs import BurstWorker


def test_an_rq_worker_purges_what_is_old_and_keeps_what_is_recent(intake_env):
    now = datetime.now(UTC)
    engine = make_engine(from_env().intake_database_url)
    with engine.begin() as db:
        for n, (published, created) in enumerate([(now - timedelta(days=8), now),
                                                  (now - timedelta(hours=1), now),
                                                  (None, now - timedelta(days=60))]):
            db.execute(insert(tables.outbox).values(
                event_id=f"e{n}", routing_key="k", body="{}", created_at=created,
                published_at=published))
        db.execute(insert(tables.inbox).values(event_id="old", type="t",
                                               received_at=now - timedelta(days=31)))
        db.execute(insert(tables.inbox).values(event_id="new", type="t", received_at=now))

    redis = job_queue.connect(from_env())
    queue = Queue(f"housekeeping-{intake_env['DVK_NAMESPACE']}", connection=redis)
    job = queue.enqueue(purge_messaging_tables, "intake")
    BurstWorker([queue], connection=redis).work(burst=True)

    assert job.return_value() == {"outbox": 1, "inbox": 1}
    with engine.connect() as db:
        assert sorted(db.scalars(select(tables.outbox.c.event_id))) == ["e1", "e2"]
        assert list(db.scalars(select(tables.inbox.c.event_id))) == ["new"]
    engine.dispose()
    redis.close()
