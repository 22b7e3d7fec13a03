"""The declarative base every review table shares, the outbox and inbox tables, and the list of all
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
    """Every review table, each feature's models imported so that none is missed."""
    from review_service.chains import tables as _chains  # noqa: F401
    from review_service.committee import tables as _committee  # noqa: F401
    from review_service.inspections import tables as _inspections  # noqa: F401
    from review_service.mirrors import directory as _directory  # noqa: F401
    from review_service.mirrors import revocations as _revocations  # noqa: F401
    from review_service.nominations import tables as _nominations  # noqa: F401
    from review_service.queue import tables as _queue  # noqa: F401
    from review_service.saved_views import tables as _saved_views  # noqa: F401
    from review_service.team import tables as _team  # noqa: F401

    return Base.metadata
