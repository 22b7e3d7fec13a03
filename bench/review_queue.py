"""The review queue with 50,000 items, and decisions through the API, on PostgreSQL.

Target (review issue): the queue page answers in under 100 ms at the 95th percentile with
50,000 items in the database; decisions through the API, each with its audit row and
outgoing event (outbox), reach 500 per second on the 2-core machine.

    .venv/bin/python bench/review_queue.py                # 50,000 items, 300 page loads, 2,000 decisions
    .venv/bin/python bench/review_queue.py --items 50000 --pages 300 --decisions 2000 --no-write

The review app runs in-process (Flask's test client: the handler, templates, gzip and the
database round trips are measured; the HTTP server and network are not). Items are spread
over 13 communes, three stages, five fields and both subject types. Page loads are spread
over what reviewers do: a district reviewer's first page, filtered by field, by commune, by
overdue, searched by a name without accents, sorted by due date, and page 20. Decisions are
approvals at the commune stage through ``POST /api/items/<id>/decision``, spread over
``--processes`` worker processes, each with its own app and connection pool and ``--threads``
requests in flight. The defaults are the Procfile's: two gunicorn workers of the default
(sync) kind, each serving one request at a time. More threads per process measure less, not
more: they queue on the interpreter lock (4 threads gave 450–570/s where 1 gave 560–680/s).
Writes
``bench/results/queue-<date>.json`` and a line in ``bench/results/README.md``; the databases it
creates are dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from intake_service.directory.con_cuong import COMMUNES, DISTRICT_CODE  # noqa: E402
from review_service.app import create_app  # noqa: E402
from review_service.queue.tables import ReviewItem  # noqa: E402
from shared import tokens  # noqa: E402
from shared.catalog import FIELDS  # noqa: E402
from shared.db import migrate  # noqa: E402
from shared.identity import Identity  # noqa: E402
from shared.settings import from_env  # noqa: E402
from shared.text import search_key  # noqa: E402
from tests.support.engines import drop_databases, environment  # noqa: E402

DISTRICT = Identity(5, "Ngân Thị Mai", "district_reviewer", DISTRICT_CODE)
COMMUNE = Identity(3, "Lương Văn Thắng", "commune_reviewer", "mon-son")
WORDS = ("Dân vận khéo", "hiến đất", "làm đường", "bản", "giúp nhau", "phát triển kinh tế",
         "xây dựng nông thôn mới", "an ninh trật tự", "Hội Phụ nữ", "Đoàn Thanh niên")
PAGES = ("/queue?stage=district", "/queue?stage=district&field=new_rural",
         "/queue?stage=district&commune=chau-khe", "/queue?stage=district&overdue=1",
         "/queue?stage=district&q=hien+dat", "/queue?stage=district&sort=due",
         "/queue?stage=district&page=20")


def seed(engine, count: int) -> None:
    rng, now = random.Random(7), datetime.now(UTC)
    communes, stages = list(COMMUNES.items()), ("commune", "district", "district", "committee")
    rows = []
    for number in range(1, count + 1):
        code, name = rng.choice(communes)
        title = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {name} số {number}"
        opened = now - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
        stage = "commune" if code == "mon-son" and number % 2 else rng.choice(stages)
        rows.append({"submission_id": number, "kind": "registration", "title": title,
                     "title_key": search_key(title), "field": rng.choice(list(FIELDS)),
                     "subject_type": rng.choice(("collective", "individual")),
                     "commune_code": code, "commune_name": name, "district_code": DISTRICT_CODE,
                     "submitter_name": "Đơn vị", "chain": "commune,district,committee",
                     "chain_version": 0, "stage": stage, "status": "open", "intake_version": 2,
                     "version": 1, "opened_at": opened, "due_at": opened + timedelta(days=7),
                     "updated_at": opened, "escalation": 0})
    with engine.begin() as db:
        for start in range(0, len(rows), 5000):
            db.execute(insert(ReviewItem), rows[start:start + 5000])
        db.execute(text("ANALYZE review_items"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def session_cookie(app, identity: Identity) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps(
        {"user": identity.to_session(), "signed_in_at": int(time.time()), "seen_at": int(time.time())})


def time_pages(app, count: int) -> dict:
    client = app.test_client()
    client.set_cookie("dvk_session", session_cookie(app, DISTRICT))
    for path in PAGES:  # warm: connection pool, template cache
        assert client.get(path).status_code == 200, path
    by_page: dict[str, list[float]] = {path: [] for path in PAGES}
    for i in range(count):
        path = PAGES[i % len(PAGES)]
        started = time.perf_counter()
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        by_page[path].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    every = [ms for values in by_page.values() for ms in values]
    return {"count": len(every), "p50_ms": round(statistics.median(every), 1),
            "p95_ms": round(percentile(every, 0.95), 1), "p99_ms": round(percentile(every, 0.99), 1),
            "by_page_p95_ms": {path: round(percentile(v, 0.95), 1) for path, v in by_page.items()}}


def decide_share(env: dict, item_ids: list[int], threads: int, go, ready, results) -> None:
    """One web worker's share: its own app and connection pool, ``threads`` requests at a time."""
    app = create_app(from_env(env))
    header = {"Authorization": f"Bearer {tokens.issue(app.config['SECRET_KEY'], COMMUNE)}"}

    def decide(item_id: int) -> int:
        return app.test_client().post(f"/api/items/{item_id}/decision", headers=header,
                                      json={"decision": "approve", "version": 1}).status_code

    assert app.test_client().get("/healthz").status_code == 200
    ready.release()
    go.wait()
    started = time.time()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = list(pool.map(decide, item_ids))
    finished = time.time()
    app.extensions["review"].engine.dispose()
    results.put({"ok": statuses.count(200), "started": started, "finished": finished})


def time_decisions(env: dict, engine, count: int, processes: int, threads: int) -> dict:
    """Decisions spread over ``processes`` workers, as gunicorn runs the Procfile's web workers."""
    with engine.connect() as db:
        ids = [row.id for row in db.execute(text(
            "SELECT id FROM review_items WHERE stage = 'commune' AND commune_code = 'mon-son' "
            "AND status = 'open' ORDER BY id LIMIT :n"), {"n": count})]
    context = multiprocessing.get_context("spawn")
    go, ready, done = context.Event(), context.Semaphore(0), context.Queue()
    workers = [context.Process(target=decide_share,
                               args=(env, ids[n::processes], threads, go, ready, done))
               for n in range(processes)]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.acquire(timeout=120)
    go.set()
    results = [done.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    elapsed = max(r["finished"] for r in results) - min(r["started"] for r in results)
    with engine.connect() as db:
        events = db.execute(text("SELECT count(*) FROM outbox")).scalar_one()
        audits = db.execute(text("SELECT count(*) FROM audit_log WHERE action = 'approve'")).scalar_one()
    return {"count": len(ids), "ok": sum(r["ok"] for r in results), "seconds": round(elapsed, 2),
            "per_second": round(len(ids) / elapsed, 1), "processes": processes, "threads": threads,
            "outbox_events": events, "audit_rows": audits}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--decisions", type=int, default=2_000)
    parser.add_argument("--processes", type=int, default=2, help="web workers, as in the Procfile")
    parser.add_argument("--threads", type=int, default=1,
                        help="requests in flight per worker (a sync gunicorn worker serves one)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = environment("real", Path(data))
        try:
            settings = from_env(env)
            migrate("review_service", settings.review_database_url)
            app = create_app(settings)
            engine = app.extensions["review"].engine
            started = time.perf_counter()
            seed(engine, args.items)
            seeded = time.perf_counter() - started
            pages = time_pages(app, args.pages)
            decisions = time_decisions(env, engine, args.decisions, args.processes, args.threads)
            engine.dispose()
        finally:
            drop_databases(env)
    record = {"date": datetime.now(UTC).isoformat(timespec="minutes"), "items": args.items,
              "seed_seconds": round(seeded, 1), "queue_page": pages, "decisions": decisions,
              "queue_target_met": pages["p95_ms"] < 100,
              "decisions_target_met": decisions["per_second"] >= 500}
    print(json.dumps(record, indent=2, ensure_ascii=False))
    if args.no_write:
        return
    out = ROOT / "bench" / "results"
    (out / f"queue-{datetime.now(UTC):%Y-%m-%d}.json").write_text(
        json.dumps(record, indent=2, ensure_ascii=False))
    with open(out / "README.md", "a") as readme:
        readme.write(
            f"\nReview queue {record['date']} ({args.items:,} items on PostgreSQL, in-process): "
            f"page p50 {pages['p50_ms']} ms, p95 {pages['p95_ms']} ms, p99 {pages['p99_ms']} ms "
            f"over {pages['count']} loads (target p95 < 100 ms: {record['queue_target_met']}); "
            f"decisions {decisions['per_second']}/s with audit row and outbox event "
            f"({decisions['ok']} of {decisions['count']} ok, {decisions['processes']} workers × "
            f"{decisions['threads']} threads; "
            f"target 500/s: {record['decisions_target_met']}).\n")


if __name__ == "__main__":
    main()
