"""Benchmark: submissions per second from intake's HTTP API to review items in the commune queue.

Runs the system as the Procfile does (both gunicorn web apps, both relays, both
consumers) on the real engines at their standard local ports (PostgreSQL,
RabbitMQ, Redis on 127.0.0.1), with databases and a broker namespace of its
own. A bounded pool of client threads (one keep-alive ``requests`` session
each) POSTs ``/api/submissions`` with ``submit: true`` at a target rate for
``--seconds``; arrival is read from the review database, never from the web
(``review_items.opened_at`` is set by the review consumer when it opens the
item). After the load stops it waits up to ``--drain`` seconds for stragglers
and counts the submissions lost: those answered 201 without a review item.

It samples the CPU of every process once a second (each web's gunicorn master
and workers, relays, consumers, PostgreSQL, RabbitMQ and itself), the
backlog at each step of the pipeline (unpublished outbox rows, messages ready
in the review queue), and the resident memory of each web at the end.

Writes ``bench/results/submissions-<date>.json`` and appends one Markdown line
to ``bench/results/README.md``. Every loop is bounded in count and in time and
all traffic stays on 127.0.0.1. Everything it starts is stopped (and its
databases dropped) in a ``finally``.

    .venv/bin/python bench/submissions.py --seconds 60
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The Procfile's lines call ``gunicorn`` and ``python``: take them from this interpreter's venv.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"

import psutil  # noqa: E402
import requests  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from shared import tokens  # noqa: E402
from shared.identity import Identity  # noqa: E402
from shared.settings import from_env  # noqa: E402
from tests.integration.system import delete_broker_entities  # noqa: E402
from tests.support.engines import (  # noqa: E402
    drop_databases,
    environment,
    prepare,
    real_engines_available,
)
from tests.support.stack import Stack, wait_for  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PROCESSES = ("intake_web", "review_web", "intake_relay", "review_relay", "intake_consumer",
             "review_consumer")
WEBS = ("intake_web", "review_web")
# The demo identities seeded by ``manage seed-demo`` (as in tests/integration/system.py).
SUBMITTER = Identity(1, "Lô Thị Hoa", "submitter", "mon-son")
COMMUNE_REVIEWER = Identity(3, "Lương Văn Thắng", "commune_reviewer", "mon-son")
TARGET_RATE, TARGET_P99 = 500.0, 1.0


# ---- load ---------------------------------------------------------------------------------


@dataclass
class Sent:
    """One request: wall-clock send and answer times (same machine clock as the consumer's)."""

    sent_at: float
    answered_at: float
    status: int
    submission_id: int | None = None


@dataclass
class Load:
    results: list[Sent] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    started: float = 0.0
    stopped: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def body(n: int) -> dict:
    return {
        "title": f"Mô hình dân vận khéo số {n}: vận động hiến đất làm đường",
        "field": "new_rural",
        "subject_type": "collective",
        "commune_code": "mon-son",
        "submit": True,
    }


def generate(url: str, token: str, rate: float, seconds: float, clients: int) -> Load:
    """POST submissions at ``rate``/s for ``seconds`` from ``clients`` threads.

    Open loop with bounded concurrency: request *i* is due at ``start + i/rate``; a
    client that is behind sends at once, so a slow system is driven at saturation.
    Bounded both in count (``rate * seconds`` requests) and in time (``seconds``).
    """
    load = Load()
    tickets = itertools.count()
    limit = int(rate * seconds)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    load.started = time.time()
    deadline = time.monotonic() + seconds
    start_mono = time.monotonic()

    def client() -> None:
        with requests.Session() as http:
            while True:
                with load.lock:
                    n = next(tickets)
                due = start_mono + n / rate
                if n >= limit or due >= deadline or time.monotonic() >= deadline:
                    return
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                sent_at = time.time()
                try:
                    response = http.post(url, data=json.dumps(body(n)), headers=headers, timeout=10)
                except requests.RequestException as error:
                    with load.lock:
                        key = type(error).__name__
                        load.errors[key] = load.errors.get(key, 0) + 1
                    continue
                answered_at = time.time()
                submission_id = response.json()["id"] if response.status_code == 201 else None
                with load.lock:
                    load.results.append(Sent(sent_at, answered_at, response.status_code,
                                             submission_id))
                    if response.status_code != 201:
                        key = f"HTTP {response.status_code}"
                        load.errors[key] = load.errors.get(key, 0) + 1

    threads = [threading.Thread(target=client, name=f"client-{i}", daemon=True)
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    load.stopped = time.time()
    return load


# ---- observation --------------------------------------------------------------------------


class Sampler(threading.Thread):
    """Once a second: CPU% per process group, pipeline backlog; stops on ``stop()``."""

    def __init__(self, stack: Stack, env: dict[str, str], max_seconds: float):
        super().__init__(name="sampler", daemon=True)
        self.stack = stack
        self.max_seconds = max_seconds
        self.samples: list[dict] = []
        self._halt = threading.Event()
        self._procs: dict[int, psutil.Process] = {}
        self.intake_db = create_engine(env["INTAKE_DATABASE_URL"], pool_size=1, max_overflow=0)
        self.review_db = create_engine(env["REVIEW_DATABASE_URL"], pool_size=1, max_overflow=0)
        self.review_queue = f"{env['DVK_NAMESPACE']}.review"
        self.broker_url = env["BROKER_URL"]
        self.cores = psutil.cpu_count() or 1

    def groups(self) -> dict[str, list[psutil.Process]]:
        found: dict[str, list[psutil.Process]] = {}
        for name, popen in self.stack.processes.items():
            try:
                root = psutil.Process(popen.pid)
                found[name] = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                found[name] = []
        found["postgresql"], found["rabbitmq"], found["redis"] = [], [], []
        for proc in psutil.process_iter(["name", "cmdline"]):
            pname = proc.info["name"] or ""
            if pname.startswith("postgres"):
                found["postgresql"].append(proc)
            elif pname in ("beam.smp", "erl_child_setup", "epmd", "inet_gethost"):
                found["rabbitmq"].append(proc)
            elif pname == "redis-server" and ":6379" in " ".join(proc.info["cmdline"] or []):
                found["redis"].append(proc)
        found["bench_client"] = [psutil.Process()]
        return found

    def cpu(self) -> dict[str, float]:
        usage: dict[str, float] = {}
        for group, procs in self.groups().items():
            total = 0.0
            for proc in procs:
                cached = self._procs.setdefault(proc.pid, proc)
                try:
                    total += cached.cpu_percent(None)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            usage[group] = round(total, 1)
        return usage

    def backlog(self, channel) -> dict[str, int | None]:
        with self.intake_db.connect() as db:
            unpublished = db.scalar(text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))
        with self.review_db.connect() as db:
            items = db.scalar(text("SELECT count(*) FROM review_items"))
        ready = None
        if channel is not None:
            with contextlib.suppress(Exception):
                ready = channel.queue_declare(self.review_queue, passive=True).message_count
        return {"intake_outbox_unpublished": unpublished, "review_queue_ready": ready,
                "review_items": items}

    def run(self) -> None:
        from kombu import Connection

        connection = Connection(self.broker_url, connect_timeout=5)
        channel = None
        with contextlib.suppress(Exception):
            channel = connection.channel()
        self.cpu()  # primes psutil's per-process counters
        psutil.cpu_percent(None)
        deadline = time.monotonic() + self.max_seconds
        while not self._halt.wait(1.0) and time.monotonic() < deadline:
            cpu, machine = self.cpu(), psutil.cpu_percent(None)
            # Whatever else runs on the machine (in % of one core), so a noisy run shows.
            cpu["other_processes"] = round(max(0.0, machine * self.cores - sum(cpu.values())), 1)
            sample = {"t": time.time(), "cpu": cpu, "machine_cpu": machine}
            with contextlib.suppress(Exception):
                sample |= self.backlog(channel)
            self.samples.append(sample)
        with contextlib.suppress(Exception):
            connection.release()
        self.intake_db.dispose()
        self.review_db.dispose()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)


def rss(stack: Stack) -> dict[str, dict]:
    """Resident memory of each process the stack started; webs as master plus workers.

    RSS counts pages a forked worker shares with its master once per process, so the sum
    overstates the whole; PSS (shared pages split between their users) adds up honestly.
    """
    memory = {}
    for name, popen in stack.processes.items():
        try:
            root = psutil.Process(popen.pid)
            procs = [root, *root.children(recursive=True)]
            each = [round(p.memory_info().rss / 2**20, 1) for p in procs]
            pss = None
            with contextlib.suppress(psutil.AccessDenied, AttributeError):
                pss = round(sum(p.memory_full_info().pss for p in procs) / 2**20, 1)
        except psutil.NoSuchProcess:
            each, pss = [], None
        memory[name] = {"total_mib": round(sum(each), 1), "processes_mib": each, "pss_total_mib": pss}
    return memory


def arrivals(review_url: str) -> dict[int, float]:
    engine = create_engine(review_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as db:
            rows = db.execute(text("SELECT submission_id, opened_at FROM review_items")).all()
    finally:
        engine.dispose()
    return {row.submission_id: row.opened_at.timestamp() for row in rows}


def publications(intake_url: str) -> dict[int, float]:
    """When the intake relay published each submission's event (``outbox.published_at``)."""
    engine = create_engine(intake_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as db:
            rows = db.execute(text(
                "SELECT (body::json #>> '{payload,submission_id}')::int AS submission_id, published_at"
                " FROM outbox WHERE routing_key = 'intake.submission.submitted'"
                " AND published_at IS NOT NULL")).all()
    finally:
        engine.dispose()
    return {row.submission_id: row.published_at.timestamp() for row in rows}


def count_items(engine) -> int:
    with engine.connect() as db:
        return db.scalar(text("SELECT count(*) FROM review_items"))


# ---- analysis -----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def per_second(times: list[float], start: float, seconds: int) -> list[int]:
    buckets = [0] * seconds
    for t in times:
        i = int(t - start)
        if 0 <= i < seconds:
            buckets[i] += 1
    return buckets


def cpu_means(samples: list[dict], start: float, stop: float) -> dict[str, float]:
    window = [s for s in samples if start + 1 <= s["t"] <= stop]
    if not window:
        return {}
    groups = window[-1]["cpu"].keys()
    means = {g: round(statistics.fmean(s["cpu"].get(g, 0.0) for s in window), 1) for g in groups}
    means["machine_total_of_200"] = round(2 * statistics.fmean(s["machine_cpu"] for s in window), 1)
    return means


def cpu_ms_per_submission(cpu: dict[str, float], duration: float, accepted: int) -> dict[str, float]:
    """Mean CPU% over the load -> milliseconds of CPU each group spent per accepted submission."""
    if not accepted:
        return {}
    return {g: round(v / 100 * duration * 1000 / accepted, 2) for g, v in cpu.items()
            if g not in ("machine_total_of_200", "other_processes", "redis")}


def bottleneck(cpu: dict[str, float], cores: int, samples: list[dict], offered: float,
               accepted_rate: float, api_p50: float, web_workers: int,
               relay_p50: float | None, consumer_p50: float | None) -> str:
    """Name what limits throughput: the web (it accepts less than is offered), a pipeline step
    (a backlog that grows during the load), and whether the machine's CPU is exhausted."""
    findings = []
    if accepted_rate < 0.95 * offered:
        web_cpu = cpu.get("intake_web", 0.0)
        findings.append(f"intake web ({web_workers} sync gunicorn workers): accepts {accepted_rate:.0f}/s of "
                        f"{offered:.0f}/s offered, API p50 {api_p50 * 1000:.0f} ms of queueing, "
                        f"using {web_cpu:.0f}% CPU")
    window = samples[len(samples) // 2:]  # the second half of the load: does a backlog grow?
    for key, step in (("intake_outbox_unpublished", "intake relay (outbox backlog)"),
                      ("review_queue_ready", "review consumer (queue backlog)")):
        values = [s[key] for s in window if s.get(key) is not None]
        if len(values) >= 3 and values[-1] > max(50, 2 * accepted_rate) and values[-1] > values[0]:
            findings.append(f"{step} grew {values[0]} -> {values[-1]}")
    # A step that keeps up on average can still hold a standing queue (prefetched + ready
    # messages) that is most of the latency: name the step where the 201 -> item time goes.
    if relay_p50 is not None and consumer_p50 is not None and relay_p50 + consumer_p50 > 0.25:
        step = ("review consumer (broker queue + handling)" if consumer_p50 > relay_p50
                else "intake relay (outbox polling + publishing)")
        findings.append(f"latency: {step} holds most of it (201 -> published p50 "
                        f"{relay_p50 * 1000:.0f} ms, published -> item p50 {consumer_p50 * 1000:.0f} ms)")
    machine = cpu.get("machine_total_of_200", 0.0) / 2 * cores
    if machine >= 90 * cores:
        top = sorted(((v, g) for g, v in cpu.items() if g != "machine_total_of_200"), reverse=True)
        findings.append(f"machine CPU saturated ({machine:.0f}% of {100 * cores}%; top: "
                        + ", ".join(f"{g} {v:.0f}%" for v, g in top[:3]) + ")")
    return "; ".join(findings) or "none: the system kept up with the offered load"


# ---- the run ------------------------------------------------------------------------------


def wait_idle(max_seconds: float, busy_percent: float = 25.0) -> float:
    """Wait (bounded) until the machine's CPU is mostly idle; return the last reading."""
    deadline = time.monotonic() + max_seconds
    reading = psutil.cpu_percent(interval=2)
    while reading > busy_percent and time.monotonic() < deadline:
        print(f"machine busy ({reading:.0f}% CPU from other processes); waiting ...", flush=True)
        reading = psutil.cpu_percent(interval=5)
    return reading


def start_profilers(stack: Stack, seconds: float, out: Path) -> list[subprocess.Popen]:
    """py-spy (sampling, non-blocking) on every Python process of the stack, for the load."""
    out.mkdir(parents=True, exist_ok=True)
    spies = []
    for name, popen in stack.processes.items():
        root = psutil.Process(popen.pid)
        workers = root.children() if name in WEBS else [root]
        for i, proc in enumerate(workers):
            target = out / f"{name}{'-' + str(i) if name in WEBS else ''}.txt"
            spies.append(subprocess.Popen(
                ["py-spy", "record", "--nonblocking", "--rate", "50", "--format", "raw",
                 "--duration", str(int(seconds)), "--pid", str(proc.pid), "--output", str(target)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return spies


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(url: str) -> bool:
    with contextlib.suppress(requests.RequestException):
        return requests.get(f"{url}/healthz", timeout=1).status_code == 200
    return False


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def run(args: argparse.Namespace) -> dict:
    if not real_engines_available():
        sys.exit("PostgreSQL, RabbitMQ and Redis must listen on 127.0.0.1:5432/5672/6379")
    tmp = Path(tempfile.mkdtemp(prefix="dvk-bench-"))
    (tmp / "logs").mkdir()
    env = environment("real", tmp / "data")
    intake_port, review_port = free_port(), free_port()
    env |= {"INTAKE_PORT": str(intake_port), "REVIEW_PORT": str(review_port),
            "INTAKE_URL": f"http://127.0.0.1:{intake_port}",
            "REVIEW_URL": f"http://127.0.0.1:{review_port}"}
    intake_url, review_url = env["INTAKE_URL"], env["REVIEW_URL"]
    stack = Stack(env, tmp / "logs")
    review_db = create_engine(env["REVIEW_DATABASE_URL"], pool_size=1, max_overflow=0)
    sampler, spies = None, []
    try:
        prepare(env)
        for name in PROCESSES:
            stack.start(name)
        wait_for(lambda: healthy(intake_url) and healthy(review_url), timeout=30,
                 message="both web apps to answer /healthz")
        token = tokens.issue(env["SECRET_KEY"], SUBMITTER)
        reviewer = {"Authorization": f"Bearer {tokens.issue(env['SECRET_KEY'], COMMUNE_REVIEWER)}"}

        # Warm up: a few submissions through the whole pipeline, excluded from the numbers.
        warm = generate(f"{intake_url}/api/submissions", token, rate=20, seconds=1, clients=2)
        warm_ids = {s.submission_id for s in warm.results if s.submission_id}
        if not warm_ids:
            raise RuntimeError(f"warm-up submissions failed: {warm.errors}\n{stack.logs()}")
        wait_for(lambda: count_items(review_db) >= len(warm_ids), timeout=30,
                 message="warm-up review items")
        queue = requests.get(f"{review_url}/api/queue", params={"stage": "commune"},
                             headers=reviewer, timeout=10).json()["items"]
        if not {i["submission_id"] for i in queue} & warm_ids:
            raise RuntimeError("warm-up items are not in the commune reviewer's queue")

        busy_before = wait_idle(args.wait_idle)
        sampler = Sampler(stack, env, max_seconds=args.seconds + args.drain + 60)
        sampler.start()
        print(f"load: {args.rate}/s for {args.seconds}s from {args.clients} clients ...", flush=True)
        if args.profile:
            spies = start_profilers(stack, args.seconds, Path(args.profile))
        load = generate(f"{intake_url}/api/submissions", token, args.rate, args.seconds, args.clients)
        accepted = [s for s in load.results if s.submission_id is not None]
        print(f"load done: {len(accepted)} accepted in {load.stopped - load.started:.1f}s; "
              f"waiting up to {args.drain}s for review items ...", flush=True)

        for spy in spies:
            spy.wait(timeout=30)
        expected = len(warm_ids) + len(accepted)
        drain_deadline = time.monotonic() + args.drain
        while time.monotonic() < drain_deadline:
            if count_items(review_db) >= expected:
                break
            time.sleep(0.25)
        drained_at = time.time()
        sampler.stop()
        memory = rss(stack)
        opened = arrivals(env["REVIEW_DATABASE_URL"])
        published = publications(env["INTAKE_DATABASE_URL"])
        queue_after = requests.get(f"{review_url}/api/queue", params={"stage": "commune"},
                                   headers=reviewer, timeout=10).json()["items"]
        result = analyse(args, load, accepted, opened, published, sampler.samples, memory, drained_at,
                         queue_after, env)
        result["machine_cpu_percent_before_load"] = busy_before
        return result
    finally:
        if sampler is not None and sampler.is_alive():
            sampler.stop()
        for spy in spies:
            if spy.poll() is None:
                spy.kill()
                spy.wait(timeout=5)
        stack.stop_all()
        review_db.dispose()
        with contextlib.suppress(Exception):
            drop_databases(env)
        with contextlib.suppress(Exception):
            delete_broker_entities(from_env(env))
        if args.keep_logs:
            print(f"logs kept in {tmp / 'logs'}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def analyse(args, load: Load, accepted: list[Sent], opened: dict[int, float],
            published: dict[int, float], samples, memory,
            drained_at: float, queue_after: list[dict], env: dict[str, str]) -> dict:
    duration = load.stopped - load.started
    lost = [s.submission_id for s in accepted if s.submission_id not in opened]
    arrived = [s for s in accepted if s.submission_id in opened]
    from_201 = [opened[s.submission_id] - s.answered_at for s in arrived]
    from_send = [opened[s.submission_id] - s.sent_at for s in arrived]
    # Where the 201 -> item time goes: waiting for the intake relay, then broker + review consumer.
    relayed = [s for s in arrived if s.submission_id in published]
    to_published = [published[s.submission_id] - s.answered_at for s in relayed]
    published_to_item = [opened[s.submission_id] - published[s.submission_id] for s in relayed]
    api = [s.answered_at - s.sent_at for s in load.results]
    last_opened = max((opened[s.submission_id] for s in arrived), default=load.started)
    delivered_in_window = sum(1 for s in arrived if opened[s.submission_id] <= load.stopped)
    seconds = max(1, int(duration))
    accepted_ps = per_second([s.answered_at for s in accepted], load.started, seconds)
    opened_ps = per_second([opened[s.submission_id] for s in arrived], load.started, seconds)
    steady = slice(min(5, seconds // 4), seconds)  # skip the ramp-up seconds
    cpu = cpu_means(samples, load.started, load.stopped)
    cores = psutil.cpu_count() or 1
    ms = lambda v: None if v is None else round(v * 1000, 1)  # noqa: E731
    end_to_end = len(arrived) / max(last_opened - load.started, duration)
    web_workers = max(0, len(memory["intake_web"]["processes_mib"]) - 1)  # master + workers
    result = {
        "benchmark": "submissions",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": {"cores": cores, "memory_gib": round(psutil.virtual_memory().total / 2**30, 1)},
        "config": {"seconds": args.seconds, "target_rate": args.rate, "clients": args.clients,
                   "drain_seconds": args.drain, "web_workers": web_workers,
                   "relay_batch": int(env.get("DVK_RELAY_BATCH", "200")),
                   "relay_idle_seconds": float(env["DVK_RELAY_IDLE_SECONDS"])},
        "target": {"submissions_per_second": TARGET_RATE, "p99_seconds": TARGET_P99},
        "requests": len(load.results) + sum(v for k, v in load.errors.items()
                                            if not k.startswith("HTTP")),
        "accepted_201": len(accepted),
        "errors": load.errors,
        "lost": len(lost),
        "lost_ids_sample": lost[:20],
        "throughput": {
            "end_to_end_per_s": round(end_to_end, 1),
            "accepted_per_s": round(len(accepted) / duration, 1),
            "review_items_opened_during_load_per_s": round(delivered_in_window / duration, 1),
            "accepted_per_s_steady_min_median": [min(accepted_ps[steady], default=0),
                                                 statistics.median(accepted_ps[steady] or [0])],
            "opened_per_s_steady_min_median": [min(opened_ps[steady], default=0),
                                               statistics.median(opened_ps[steady] or [0])],
            "last_item_after_load_stop_s": round(max(0.0, last_opened - load.stopped), 2),
        },
        "latency_ms": {
            "201_to_item": {"p50": ms(percentile(from_201, 50)), "p99": ms(percentile(from_201, 99)),
                            "max": ms(max(from_201, default=None))},
            "201_to_published": {"p50": ms(percentile(to_published, 50)),
                                 "p99": ms(percentile(to_published, 99))},
            "published_to_item": {"p50": ms(percentile(published_to_item, 50)),
                                  "p99": ms(percentile(published_to_item, 99))},
            "send_to_item": {"p50": ms(percentile(from_send, 50)),
                             "p99": ms(percentile(from_send, 99)),
                             "max": ms(max(from_send, default=None))},
            "api_response": {"p50": ms(percentile(api, 50)), "p99": ms(percentile(api, 99))},
        },
        "cpu_percent_mean_during_load": cpu,
        "cpu_ms_per_submission": cpu_ms_per_submission(cpu, duration, len(accepted)),
        "rss_mib_at_end": memory,
        "bottleneck": bottleneck(cpu, cores, [s for s in samples if s["t"] <= load.stopped],
                                 args.rate, len(accepted) / duration, percentile(api, 50) or 0.0,
                                 web_workers, percentile(to_published, 50),
                                 percentile(published_to_item, 50)),
        "commune_queue_first_page_after": len(queue_after),
        "per_second": {"accepted": accepted_ps, "opened": opened_ps},
        "samples": samples,
        "drain_seconds_used": round(drained_at - load.stopped, 1),
    }
    result["meets_target"] = (result["lost"] == 0
                              and end_to_end >= TARGET_RATE
                              and (percentile(from_201, 99) or 1e9) < TARGET_P99)
    return result


def markdown_line(result: dict, json_name: str) -> str:
    t, lat, mem = result["throughput"], result["latency_ms"]["201_to_item"], result["rss_mib_at_end"]
    return (f"| {result['date'][:16].replace('T', ' ')} | {result['commit']} "
            f"| {result['config']['seconds']:g} s @ {result['config']['target_rate']:g}/s, "
            f"{result['config']['clients']} clients (other processes: "
            f"{result['cpu_percent_mean_during_load'].get('other_processes', 0):.0f}% CPU) "
            f"| **{t['end_to_end_per_s']}** (API {t['accepted_per_s']}) "
            f"| {lat['p50']} / {lat['p99']} | {result['lost']} "
            f"| {mem['intake_web']['total_mib']} / {mem['review_web']['total_mib']} "
            f"| {result['bottleneck']} | {'yes' if result['meets_target'] else 'no'} "
            f"| [{json_name}]({json_name}) |")


COLUMNS = ("date (UTC)", "commit", "load", "submissions/s end to end (API 201/s)",
           "201 → review item p50 / p99 ms", "lost", "RSS intake / review web MiB", "bottleneck",
           "target met", "data")
README_HEAD = f"""# Benchmark results

Appended by `bench/submissions.py` (see `bench/README.md`). Target: 500 submissions/s,
p99 < 1 s, 0 lost, on the 2-core machine.

| {" | ".join(COLUMNS)} |
|{" --- |" * len(COLUMNS)}
"""


def write(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    day = result["date"][:10]
    path = RESULTS / f"submissions-{day}.json"
    n = 2
    while path.exists():
        path = RESULTS / f"submissions-{day}-{n}.json"
        n += 1
    line = markdown_line(result, path.name)
    path.write_text(json.dumps({**result, "markdown": line}, indent=1, ensure_ascii=False) + "\n")
    readme = RESULTS / "README.md"
    if not readme.exists():
        readme.write_text(README_HEAD)
    with readme.open("a") as out:
        out.write(line + "\n")
    return path


def summary(result: dict) -> str:
    t, lat = result["throughput"], result["latency_ms"]
    cpu = ", ".join(f"{g} {v}%" for g, v in sorted(result["cpu_percent_mean_during_load"].items(),
                                                  key=lambda kv: -kv[1]))
    rss_line = ", ".join(f"{name} {m['total_mib']} MiB {m['processes_mib']} (PSS {m['pss_total_mib']} MiB)"
                         for name, m in result["rss_mib_at_end"].items() if name in WEBS)
    return "\n".join([
        f"submissions/s end to end: {t['end_to_end_per_s']}  (API 201/s {t['accepted_per_s']}, "
        f"items opened during load {t['review_items_opened_during_load_per_s']}/s)",
        f"accepted {result['accepted_201']}, lost {result['lost']}, errors {result['errors']}",
        f"201 -> review item: p50 {lat['201_to_item']['p50']} ms, p99 {lat['201_to_item']['p99']} ms"
        f" (201 -> published p50 {lat['201_to_published']['p50']} ms, p99 "
        f"{lat['201_to_published']['p99']} ms; published -> item p50 {lat['published_to_item']['p50']}"
        f" ms, p99 {lat['published_to_item']['p99']} ms)"
        f"; send -> item p50 {lat['send_to_item']['p50']} ms, p99 {lat['send_to_item']['p99']} ms"
        f"; API p50 {lat['api_response']['p50']} ms, p99 {lat['api_response']['p99']} ms",
        f"CPU% during load (100 = one core): {cpu}",
        "CPU ms per submission: " + ", ".join(
            f"{g} {v}" for g, v in sorted(result["cpu_ms_per_submission"].items(),
                                          key=lambda kv: -kv[1])),
        f"RSS at end: {rss_line}",
        f"bottleneck: {result['bottleneck']}",
        f"target (500/s, p99 < 1 s, 0 lost) met: {result['meets_target']}",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="load duration (default 60)")
    parser.add_argument("--rate", type=float, default=TARGET_RATE,
                        help="offered submissions per second (default 500)")
    parser.add_argument("--clients", type=int, default=16, help="client threads (default 16)")
    parser.add_argument("--drain", type=float, default=60,
                        help="seconds to wait for stragglers after the load (default 60)")
    parser.add_argument("--wait-idle", type=float, default=120,
                        help="wait up to this long for other processes to quiet down (default 120)")
    parser.add_argument("--profile", metavar="DIR",
                        help="py-spy every process during the load; collapsed stacks go to DIR")
    parser.add_argument("--no-write", action="store_true", help="print only; write no results")
    parser.add_argument("--keep-logs", action="store_true", help="keep the processes' logs")
    args = parser.parse_args(argv)
    result = run(args)
    print(summary(result))
    if not args.no_write:
        path = write(result)
        print(f"wrote {path.relative_to(ROOT)} and appended to bench/results/README.md")
        print(markdown_line(result, path.name))
    return 0 if result["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
