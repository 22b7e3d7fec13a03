"""Alembic environment for intake_service's own database."""

from alembic import context
from sqlalchemy import engine_from_config, pool

import intake_service.directory.models  # noqa: F401 - registers the directory's tables
from intake_service.periods import models as _periods_models  # noqa: F401  (its tables)
from intake_service.recognition import services as _recognition  # noqa: F401  (the nominations mirror)
from intake_service.results import models as _reports_models  # noqa: F401  (its tables)
from intake_service.submissions.models import Base

config = context.config
target_metadata = Base.metadata


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
