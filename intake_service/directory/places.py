"""Where a submission comes from: the communes and townships of the directory, by code.

Forms offer them, handlers check a submission's commune against them, and the
submitted event names the commune and the district it belonged to. A commune
that has since merged stays a place: 2024 registrations keep pointing at it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_service.directory.tables import OrgUnit

COMMUNE_LEVELS = ("commune", "township")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    parent_code: str | None  # the district (or, after 1 July 2025, the province)


def place(session: Session, code: str) -> Place | None:
    """The commune or township with this code, or None."""
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code,
                                                OrgUnit.level.in_(COMMUNE_LEVELS)))
    return Place(unit.code, unit.name, unit.parent_code) if unit else None


def communes(session: Session, within: str | None = None) -> dict[str, str]:
    """Code → name of every commune and township (of one district, when given), by name."""
    query = select(OrgUnit.code, OrgUnit.name).where(OrgUnit.level.in_(COMMUNE_LEVELS))
    if within is not None:
        query = query.where(OrgUnit.parent_code == within)
    return dict(session.execute(query.order_by(OrgUnit.name)).all())


def names(session: Session, codes: set[str]) -> dict[str, str]:
    """Code → name of these org units (codes the directory does not know are left out)."""
    if not codes:
        return {}
    return dict(session.execute(select(OrgUnit.code, OrgUnit.name)
                                .where(OrgUnit.code.in_(sorted(codes)))).all())
