"""The declarative base every intake table shares, the outbox and inbox tables, and the list of all
feature tables (Alembic and the test harness see the whole schema through ``metadata()``)."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from shared.messaging import inbox_table, outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)


inbox = inbox_table(Base.metadata)



def metadata() -> MetaData:
    """Every intake table, each feature's models imported so that none is missed."""
    from intake_service.accounts import tables as _accounts  # noqa: F401
    from intake_service.bulk import tables as _bulk  # noqa: F401
    from intake_service.directory import tables as _directory  # noqa: F401
    from intake_service.notifications import tables as _notifications  # noqa: F401
    from intake_service.periods import tables as _periods  # noqa: F401
    from intake_service.recognition import tables as _recognition  # noqa: F401
    from intake_service.reporting import tables as _reporting  # noqa: F401
    from intake_service.results import tables as _results  # noqa: F401
    from intake_service.submissions import tables as _submissions  # noqa: F401

    return Base.metadata
