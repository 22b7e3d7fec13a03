"""The two ways the system runs, as test environments: embedded defaults and the real engines.

``embedded``: nothing set but a private data directory, so SQLite files and an
embedded Redis (broker and rq). ``real``: PostgreSQL, RabbitMQ and Redis at
their standard local ports, with databases and a broker namespace of the
test run's own so nothing collides with other users of those servers.

Databases come from ``tests/support/templates.py``: migrated (and seeded) once per test
process, copied for each test.
"""

from __future__ import annotations

import contextlib
import fcntl
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg

from shared.settings import from_env
from tests.support import templates
from tests.support.people import SECRET_KEY

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def real_engines_available() -> bool:
    return all(_listening(port) for port in (5432, 5672, 6379))


def _create_databases(*names: str) -> None:
    if not names:
        return
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')


def drop_databases(env: dict[str, str]) -> None:
    """Drop the run's own databases (a no-op on embedded defaults)."""
    names = [env[key].rsplit("/", 1)[1] for key in ("INTAKE_DATABASE_URL", "REVIEW_DATABASE_URL")
             if key in env]
    if not names:
        return
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(kind: str, data_dir: Path, intake: str | None = None,
                review: str | None = None) -> dict[str, str]:
    """Environment variables for one run of the system, as an operator would set them.

    ``intake`` and ``review`` name the template each service's database is copied from
    (``tests/support/templates.py``: "schema", "directory", ...); without one, a real
    engine's database is created empty and an embedded one is left for the test to make.
    """
    run = uuid.uuid4().hex[:8]
    env = {
        "DVK_DATA_DIR": str(data_dir),
        "SECRET_KEY": SECRET_KEY,
        "DVK_NAMESPACE": f"dvk-test-{run}",
        "DVK_RELAY_IDLE_SECONDS": "0.05",
        "DVK_BROKER_VISIBILITY_TIMEOUT": "5",
        "DVK_MAX_ATTEMPTS": "3",
    }
    if kind == "real":
        intake_db, review_db = f"dvk_test_{run}_intake", f"dvk_test_{run}_review"
        _create_databases(*[name for name, recipe in ((intake_db, intake), (review_db, review))
                            if recipe is None])
        env |= {
            "INTAKE_DATABASE_URL": f"{PG_SERVER}/{intake_db}",
            "REVIEW_DATABASE_URL": f"{PG_SERVER}/{review_db}",
            "BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//",
            "REDIS_URL": "redis://127.0.0.1:6379/15",
        }
    settings = from_env(env)
    if intake is not None:
        templates.clone("intake", intake, settings.intake_database_url)
    if review is not None:
        templates.clone("review", review, settings.review_database_url)
    return env


def prepare(env: dict[str, str]) -> None:
    """Both databases as ``make demo`` leaves them (migrated, the demo users and directory
    loaded), copied from the templates; ``tests/integration/test_manage.py`` runs the commands."""
    settings = from_env(env)
    templates.clone("intake", "demo", settings.intake_database_url)
    templates.clone("review", "schema", settings.review_database_url)


_BROKER_LOCK = Path(tempfile.gettempdir()) / "dvk-tests-rabbitmq.lock"
_broker_lock_file = None


@contextlib.contextmanager
def broker_in_use(exclusive: bool = False) -> Iterator[None]:
    """Hold the shared RabbitMQ, across the test processes of this machine (xdist workers).

    Tests using the real broker hold it shared; a test that stops RabbitMQ holds it alone,
    so it waits for the others to finish theirs and none starts while the broker is down.
    Within a process, an exclusive hold converts the shared one it is nested in.
    """
    global _broker_lock_file
    outer = _broker_lock_file is not None
    if not outer:
        _broker_lock_file = open(_BROKER_LOCK, "a")  # noqa: SIM115 - held across the yield
    if exclusive or not outer:  # a shared hold inside any hold has what it needs already
        fcntl.flock(_broker_lock_file, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
    try:
        yield
    finally:
        if outer:
            if exclusive:
                fcntl.flock(_broker_lock_file, fcntl.LOCK_SH)  # back to the outer hold
        else:
            fcntl.flock(_broker_lock_file, fcntl.LOCK_UN)
            _broker_lock_file.close()
            _broker_lock_file = None
