"""No export is left "being written" forever: a worker that dies in the middle of one has it run
again, a Redis restart while exports wait is ridden out by the worker on its own, and an export
whose job was lost for good is failed by the sweep, its page saying so and offering to start it
again. On PostgreSQL, with a Redis server of the test's own (the machine's is shared by every
test), the Procfile's worker running as a process."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from intake_service.app import create_app
from intake_service.periods import services as periods
from intake_service.reporting import jobs as report_jobs
from intake_service.reporting.tables import ReportExport
from shared import clock
from shared.identity import Identity
from shared.settings import from_env
from tests.conftest import require_engines
from tests.support.engines import drop_databases, environment
from tests.support.people import add_people, browser
from tests.support.stack import Stack, wait_for
from tests.support.web import csrf

ADMIN = Identity(0, "Quản trị", "admin", "con-cuong")


class PrivateRedis:
    """A redis-server on a free port, keeping its data in an append-only file across restarts."""

    def __init__(self, directory: Path):
        self.directory = directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, message="the private Redis answering")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()  # SIGTERM: redis-server writes its file and exits
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def env(tmp_path, redis_server, monkeypatch):
    require_engines("real")
    variables = environment("real", tmp_path / "data", intake="directory-relayed")
    variables["REDIS_URL"] = redis_server.url
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    yield variables
    drop_databases(variables)


@pytest.fixture
def app(env):
    app = create_app(from_env())
    add_people(app.extensions["intake"].sessions,
               {"lanhdao": ("Lương Thị Ngọc", "viewer", "con-cuong")})
    with app.extensions["intake"].uow() as uow:
        app.period_id = periods.open_period(periods.OpenPeriod(
            ADMIN, "H1", 2024, ("registrations", "reports"), date(2024, 1, 1),
            date(2024, 6, 10)), uow).id
    yield app
    app.extensions["intake"].engine.dispose()


@pytest.fixture
def worker(env, tmp_path):
    """The Procfile's worker, as a process of its own; yields its stack."""
    (tmp_path / "logs").mkdir()
    stack = Stack(env, tmp_path / "logs")
    stack.start("worker")
    yield stack
    stack.stop_all()


def start_export(client, period_id: int, fmt: str) -> int:
    page = client.get(f"/report?org=con-cuong&period={period_id}").get_data(as_text=True)
    started = client.post("/report/exports", data={"csrf_token": csrf(page), "org": "con-cuong",
                                                   "period": period_id, "format": fmt})
    assert started.status_code == 303
    return int(re.search(r"/report/exports/(\d+)", started.headers["Location"]).group(1))


def status_of(app, export_id: int) -> tuple[str, str | None]:
    with app.extensions["intake"].sessions() as db:
        export = db.get(ReportExport, export_id)
        return export.status, export.error


def session_processes(leader: int) -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process in the worker's session."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[3]) == leader:  # the session id
            found[int(entry.name)] = (int(fields[1]), command)
    return found


def horse_converting(leader: int) -> int | None:
    """The work-horse (a child of the worker) under which LibreOffice converts a PDF, if any."""
    processes = session_processes(leader)
    for pid, (parent, command) in processes.items():
        if "soffice" in command:
            while parent in processes and parent != leader:
                pid, parent = parent, processes[parent][0]
            return pid if parent == leader else None
    return None


def test_a_worker_killed_in_the_middle_of_an_export_runs_it_again_and_it_ends_done(app, worker):
    client = browser(app, "lanhdao", lang="vi")
    export_id = start_export(client, app.period_id, "pdf")
    leader = worker.processes["worker"].pid
    horse = wait_for(lambda: horse_converting(leader), timeout=90,
                     message="the export being converted to PDF")
    assert status_of(app, export_id) == ("running", None)

    os.kill(horse, signal.SIGKILL)  # as the kernel's OOM killer ends the biggest process
    wait_for(lambda: status_of(app, export_id)[0] == "done", timeout=180,
             message="the export run again to its end")
    assert worker.processes["worker"].poll() is None
    progress = client.get(f"/report/exports/{export_id}").get_data(as_text=True)
    assert 'data-status="done"' in progress and 'id="download"' in progress


def test_the_worker_rides_out_a_redis_restart_and_the_exports_that_waited_end_done(
        app, worker, redis_server):
    client = browser(app, "lanhdao")
    process = worker.processes["worker"]
    redis_server.stop()  # the worker idle, Redis gone under it for a while
    wait_for(lambda: "Redis" in "".join(p.read_text() for p in worker.log_dir.glob("*.log")),
             timeout=30, message="the worker noticing Redis gone")
    redis_server.start()
    first = start_export(client, app.period_id, "xlsx")
    wait_for(lambda: status_of(app, first)[0] == "done", timeout=90,
             message="an export made by the worker after Redis came back")

    os.killpg(process.pid, signal.SIGSTOP)  # exports wait on the queue while Redis restarts
    try:
        waiting = [start_export(client, app.period_id, "xlsx") for _ in range(2)]
        redis_server.stop()
        redis_server.start()
    finally:
        os.killpg(process.pid, signal.SIGCONT)
    for export_id in waiting:
        wait_for(lambda export_id=export_id: status_of(app, export_id)[0] == "done", timeout=90,
                 message="the exports that waited through the restart")
    assert process.poll() is None  # the same worker process, back on its own


def test_an_export_whose_job_was_lost_is_failed_by_the_sweep_and_can_be_started_again(app):
    client = browser(app, "lanhdao", lang="vi")
    lost = start_export(client, app.period_id, "xlsx")  # no worker: as if its job were lost
    assert report_jobs.fail_stalled_exports() == 0  # not yet: its runs could still come
    later = clock.now() + timedelta(hours=2)
    assert report_jobs.fail_stalled_exports(now=later) == 1
    assert status_of(app, lost) == ("failed", "broke_off")

    page = client.get(f"/report/exports/{lost}").get_data(as_text=True)
    assert 'data-status="failed"' in page and "hx-trigger" not in page
    assert "Việc xuất tệp bị gián đoạn do lỗi phía hệ thống; vui lòng xuất lại." in page
    progress = page[page.index('id="export-progress"'):]
    offer = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', progress, re.S)
    assert 'id="start-again"' in offer.group(2)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', offer.group(2)))
    again = client.post(offer.group(1), data=fields)
    assert again.status_code == 303
    with app.extensions["intake"].sessions() as db:
        assert db.scalars(select(ReportExport.status).order_by(ReportExport.id)).all() == [
            "failed", "queued"]
