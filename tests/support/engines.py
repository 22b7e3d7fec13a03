"""The two ways the system runs, as test environments: embedded defaults and the real engines.

``embedded``: nothing set but a private data directory, so SQLite files and an
embedded Redis (broker and rq). ``real``: PostgreSQL, RabbitMQ and Redis at
their standard local ports, with databases and a broker namespace of the
test run's own so nothing collides with other users of those servers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from pathlib import Path

import psycopg

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def real_engines_available() -> bool:
    return all(_listening(port) for port in (5432, 5672, 6379))


def _create_databases(*names: str) -> None:
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


def environment(kind: str, data_dir: Path) -> dict[str, str]:
    """Environment variables for one run of the system, as an operator would set them."""
    run = uuid.uuid4().hex[:8]
    env = {
        "DVK_DATA_DIR": str(data_dir),
        "SECRET_KEY": "test-secret",
        "DVK_NAMESPACE": f"dvk-test-{run}",
        "DVK_RELAY_IDLE_SECONDS": "0.05",
        "DVK_BROKER_VISIBILITY_TIMEOUT": "5",
        "DVK_MAX_ATTEMPTS": "3",
    }
    if kind == "real":
        intake_db, review_db = f"dvk_test_{run}_intake", f"dvk_test_{run}_review"
        _create_databases(intake_db, review_db)
        env |= {
            "INTAKE_DATABASE_URL": f"{PG_SERVER}/{intake_db}",
            "REVIEW_DATABASE_URL": f"{PG_SERVER}/{review_db}",
            "BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//",
            "REDIS_URL": "redis://127.0.0.1:6379/15",
        }
    return env


def prepare(env: dict[str, str]) -> None:
    """Migrate both databases and load the demo users, as ``make demo`` does."""
    for command in (
        ["-m", "intake_service.manage", "migrate"],
        ["-m", "review_service.manage", "migrate"],
        ["-m", "intake_service.manage", "seed-demo"],
    ):
        subprocess.run(["python", *command], env={**os.environ, **env}, check=True,
                       capture_output=True)
