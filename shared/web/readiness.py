"""Whether a service can do its work: its database at the migration head, the broker, Redis.

Each check answers within about ``TIMEOUT`` seconds and returns None when all is well, else a
short reason; the reason's details go to the log, not to whoever asked.
"""

from __future__ import annotations

import functools
import importlib.resources
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from kombu import Connection
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from shared.db import make_engine
from shared.settings import Settings

TIMEOUT = 2.0
log = logging.getLogger(__name__)


def probe_engine(url: str) -> Engine:
    """An engine of its own for probes and metrics: one connection, given up on after ``TIMEOUT``."""
    if url.startswith("sqlite"):
        return make_engine(url)
    return create_engine(url, pool_size=1, max_overflow=0, pool_timeout=TIMEOUT, pool_recycle=600,
                         pool_pre_ping=True, connect_args={
                             "connect_timeout": int(TIMEOUT),
                             "options": f"-c statement_timeout={int(TIMEOUT * 1000)}"})


def broker_connection(settings: Settings) -> Connection:
    """A broker connection that gives up after ``TIMEOUT``, for probes and metrics."""
    redis = settings.broker_url.startswith(("redis", "rediss"))
    options = {"socket_timeout": TIMEOUT, "socket_connect_timeout": TIMEOUT, "max_retries": 0}
    return Connection(settings.broker_url, connect_timeout=TIMEOUT,
                      transport_options=options if redis else {})


def redis_client(settings: Settings) -> Redis:
    """A Redis client that gives up after ``TIMEOUT``, without retrying, for probes and metrics."""
    return Redis.from_url(settings.redis_url, socket_timeout=TIMEOUT,
                          socket_connect_timeout=TIMEOUT, retry=Retry(NoBackoff(), 0))


@functools.cache
def migration_heads(package: str) -> frozenset[str]:
    """The newest revision(s) of a service's migrations (``<package>/migrations``)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(importlib.resources.files(package) / "migrations"))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def database(engine: Engine, package: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        applied = frozenset(MigrationContext.configure(connection).get_current_heads())
    if applied != migration_heads(package):
        return "not at the migration head"
    return None


def broker(connect: Callable[[], Connection]) -> None:
    with connect() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT)


def redis(client: Callable[[], Redis]) -> None:
    client().ping()


def run(checks: dict[str, Callable[[], str | None]]) -> dict[str, str]:
    """Run the checks side by side: ``{"database": "ok", "broker": "unreachable", ...}``."""
    with ThreadPoolExecutor(max_workers=len(checks)) as pool:
        futures = {name: pool.submit(_outcome, name, check) for name, check in checks.items()}
    return {name: future.result() for name, future in futures.items()}


def _outcome(name: str, check: Callable[[], str | None]) -> str:
    try:
        return check() or "ok"
    except Exception as error:  # noqa: BLE001 - any failure of a part is the answer, not an error
        log.warning("readiness: %s is unreachable: %s", name, str(error).partition("\n")[0] or repr(error))
        return "unreachable"
