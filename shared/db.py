"""Database plumbing shared by both services: engines, sessions, migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import BigInteger, DateTime, TypeDecorator, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL and a busy timeout so several processes can share it."""
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Pre-ping: a pooled connection the server dropped (a restart, a failover) is replaced on
    # checkout, so the first request after the database is back succeeds; it costs one round
    # trip per checkout, and a pool timeout keeps a request from queueing behind a dead pool.
    return create_engine(url, pool_size=10, max_overflow=10, pool_recycle=1800,
                         pool_pre_ping=True, pool_timeout=10)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def migrate(service_package: str, url: str) -> None:
    """Bring a service's database to the newest Alembic revision."""
    import importlib.resources

    from alembic import command
    from alembic.config import Config

    scripts = importlib.resources.files(service_package) / "migrations"
    config = Config()
    config.set_main_option("script_location", str(scripts))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    _join_branches(config, url)
    command.upgrade(config, "head")


def _join_branches(config, url: str) -> None:
    """Record one revision for a database migrated when each feature's migration was a branch.

    Such a database lists every branch it applied; its schema is that of the newest of them, now
    that the same migrations form one line.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    engine = make_engine(url)  # creates the SQLite folder if needed
    try:
        with engine.connect() as connection:
            applied = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
    if len(applied) < 2:
        return
    line = [revision.revision for revision in ScriptDirectory.from_config(config).walk_revisions()]
    newest = next(revision for revision in line if revision in applied)  # walk goes newest first
    command.stamp(config, newest, purge=True)


class UTCDateTime(TypeDecorator):
    """A timestamp that always comes back timezone-aware, in UTC (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        # In UTC: SQLite keeps and compares the wall-clock time only, so a moment given in
        # Vietnam's time (the start of a Vietnamese day) must be turned into UTC first.
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, _dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class ExactDecimal(TypeDecorator):
    """A non-negative quantity kept exactly: stored as a whole number of thousandths.

    The same on every engine (SQLite would otherwise round decimals through floats), and
    still summed by the database: ``SUM`` of thousandths is exact.
    """

    impl = BigInteger
    cache_ok = True
    SCALE = 1000

    def process_bind_param(self, value: Decimal | None, _dialect):
        if value is None:
            return None
        scaled = Decimal(value) * self.SCALE
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than three decimal places")
        return int(scaled)

    def process_result_value(self, value: int | None, _dialect):
        return None if value is None else Decimal(value) / self.SCALE
