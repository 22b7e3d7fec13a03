"""Alembic environment for review_service's own database."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from review_service import tables

config = context.config
target_metadata = tables.metadata()  # every feature's tables, so autogenerate misses none


def run_migrations_online() -> None:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
