"""Alembic environment for intake_service's own database."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from intake_service import tables
from shared.settings import from_env

config = context.config
target_metadata = tables.metadata()  # every feature's tables, so autogenerate misses none
if config.config_file_name:  # Alembic's own command line, with the service's alembic.ini
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    """The URL ``shared.db.migrate`` passes, else the one the service reads from the environment."""
    return config.get_main_option("sqlalchemy.url") or from_env().intake_database_url


def run_migrations_online() -> None:
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
