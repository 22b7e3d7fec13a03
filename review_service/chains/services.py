"""Chains in force: the newest saved configuration, or the shipped one the settings name.

Items keep the chain (and its version) they were opened with, so a change of
configuration applies to new items only: one in flight finishes as it started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from review_service.chains import rules
from review_service.chains.rules import ChainConfig, Facts
from review_service.chains.tables import ChainConfigVersion
from review_service.mirrors.directory import OrgUnitCopy
from shared import clock
from shared.errors import NotPermitted, StaleDecision
from shared.identity import Identity, is_admin
from shared.uow import UnitOfWork

SHIPPED_VERSION = 0  # the configuration that came with the service, before any change


@dataclass(frozen=True)
class InForce:
    version: int
    config: ChainConfig
    saved_by: str = ""
    saved_at: datetime | None = None


@dataclass(frozen=True)
class SaveConfig:
    user: Identity
    text: str
    based_on: int  # the version the administrator edited: a change made meanwhile is not lost


def in_force(session: Session, shipped: str) -> InForce:
    newest = session.scalar(select(ChainConfigVersion).order_by(ChainConfigVersion.version.desc())
                            .limit(1))
    if newest is None:
        return InForce(SHIPPED_VERSION, rules.shipped(shipped))
    return InForce(newest.version, rules.parse(newest.body), newest.saved_by, newest.saved_at)


def history(session: Session) -> list[ChainConfigVersion]:
    return list(session.scalars(select(ChainConfigVersion)
                                .order_by(ChainConfigVersion.version.desc()).limit(50)))


def save(cmd: SaveConfig, uow: UnitOfWork) -> int:
    """Check and save a new version; raise ``rules.InvalidConfig`` or ``StaleDecision``."""
    if not is_admin(cmd.user):
        raise NotPermitted()
    config = rules.parse(cmd.text)
    current = uow.session.scalar(select(func.max(ChainConfigVersion.version))) or SHIPPED_VERSION
    if current != cmd.based_on:
        raise StaleDecision()
    uow.session.add(ChainConfigVersion(version=current + 1, body=config.to_json(),
                                       saved_by=cmd.user.name, saved_at=clock.now()))
    try:
        uow.commit()
    except IntegrityError as clash:  # two administrators saved at once: one wins
        raise StaleDecision() from clash
    return current + 1


def org_level(session: Session, commune_code: str) -> str:
    """The submitter's org level, from review's copy of the directory (a commune if unknown)."""
    level = session.scalar(select(OrgUnitCopy.level).where(OrgUnitCopy.code == commune_code))
    return "commune" if level in (None, "township", "village") else level


def choose(session: Session, shipped: str, payload: dict) -> tuple[int, rules.Chain]:
    """The chain a newly submitted item goes through, and the configuration version it came from."""
    current = in_force(session, shipped)
    facts = Facts(kind=payload["kind"], field=payload["field"],
                  subject_type=payload["subject_type"],
                  org_level=org_level(session, payload["commune_code"]))
    return current.version, current.config.choose(facts)
