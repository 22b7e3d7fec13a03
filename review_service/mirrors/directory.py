"""Review's copy of the org tree, kept from intake's directory events (never read from intake's tables).

Review needs names, levels and successor links to label queues and roll old
units up in reports; it keeps the latest state of each org unit, by version,
so a late or replayed event never overwrites newer news.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from review_service.tables import Base
from shared import events
from shared.uow import UnitOfWork

STATE = ("name", "level", "parent_code", "valid_from", "valid_to", "successor_code", "version")


class OrgUnitCopy(Base):
    __tablename__ = "directory_org_units"
    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(String(80))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    successor_code: Mapped[str | None] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)


def on_org_unit_changed(event: events.Event, uow: UnitOfWork) -> None:
    """Keep the newest state of an org unit; an older or repeated version changes nothing."""
    payload = event.payload
    copy = uow.session.get(OrgUnitCopy, payload["code"])
    if copy is None:
        uow.session.add(OrgUnitCopy(code=payload["code"], **{k: payload[k] for k in STATE}))
    elif payload["version"] > copy.version:
        for name in STATE:
            setattr(copy, name, payload[name])


def communes(session: Session, within: str | None = None) -> dict[str, str]:
    """Code → name of the communes and townships known (of one district, when given), by name."""
    query = select(OrgUnitCopy.code, OrgUnitCopy.name).where(
        OrgUnitCopy.level.in_(("commune", "township")))
    if within is not None:
        query = query.where(OrgUnitCopy.parent_code == within)
    return dict(session.execute(query.order_by(OrgUnitCopy.name)).all())
