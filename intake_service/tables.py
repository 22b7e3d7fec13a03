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
    from intake_service.accounts import models as _accounts  # noqa: F401
    from intake_service.bulk import models as _bulk  # noqa: F401
    from intake_service.directory import models as _directory  # noqa: F401
    from intake_service.notifications import models as _notifications  # noqa: F401
    from intake_service.periods import models as _periods  # noqa: F401
    from intake_service.recognition import models as _recognition  # noqa: F401
    from intake_service.reporting import models as _reporting  # noqa: F401
    from intake_service.results import models as _results  # noqa: F401
    from intake_service.submissions import models as _submissions  # noqa: F401

    return Base.metadata
