"""Who is signed in: the identity both services read from the shared signed session.

The intake service owns users and signs people in; it writes this identity
into a session cookie signed with the shared ``SECRET_KEY``. The review service
verifies the same cookie, so one sign-in serves both without a shared table.

"Sign out everywhere" cannot recall cookies and tokens already handed out, so
each carries the user's sign-out ``epoch`` from when it was issued. Signing out
everywhere (or changing the password) raises the user's epoch; each service
then refuses a credential from an earlier epoch (``still_valid``). Intake keeps
the epoch on the user; review learns it from an event (docs/directory.md).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    """What a person does. The values are what sessions, tokens, the users table and JSON
    hold: a member equals its value, so either may be compared with the other."""

    SUBMITTER = "submitter"
    COMMUNE_REVIEWER = "commune_reviewer"
    DISTRICT_REVIEWER = "district_reviewer"
    COMMITTEE_MEMBER = "committee_member"
    COMMITTEE_CHAIR = "committee_chair"
    PROVINCE_REVIEWER = "province_reviewer"  # two-level government, from 1 July 2025: commune → province
    INSPECTOR = "inspector"
    VIEWER = "viewer"
    ADMIN = "admin"


ROLES = tuple(Role)

# Which reviewer role works each stage of a chain.
STAGE_ROLES = {
    "commune": (Role.COMMUNE_REVIEWER,),
    "district": (Role.DISTRICT_REVIEWER,),
    "committee": (Role.COMMITTEE_MEMBER, Role.COMMITTEE_CHAIR),
    "province": (Role.PROVINCE_REVIEWER,),
}
REVIEWERS = frozenset(role for roles in STAGE_ROLES.values() for role in roles)  # who works a stage
LOCAL_ROLES = frozenset({Role.SUBMITTER, Role.COMMUNE_REVIEWER})  # their scope is a commune or township
REPORT_READERS = frozenset(Role) - {Role.SUBMITTER}  # a unit sees its dues, not the area's reports


class Person(Protocol):
    """Whoever has a role and a scope: an ``Identity``, intake's user, review's reviewer."""

    @property
    def role(self) -> str: ...

    @property
    def scope(self) -> str: ...


# ---- who may: the rules both services apply to a role and a scope ----------------------------


def is_admin(user: Person) -> bool:
    """Administrators may do everything, everywhere."""
    return user.role == Role.ADMIN


def is_submitter(user: Person) -> bool:
    """A unit's submitter: registers, reports and sees only its own submissions."""
    return user.role == Role.SUBMITTER


def is_inspector(user: Person) -> bool:
    return user.role == Role.INSPECTOR


def is_reviewer(user: Person) -> bool:
    """Works a stage of a chain (administrators, who may act at any stage, are not counted)."""
    return user.role in REVIEWERS


def has_role(user: Person, roles: Collection[str]) -> bool:
    """One of ``roles``, or an administrator (who passes every role check)."""
    return user.role in roles or is_admin(user)


def works_in_commune(role: str) -> bool:
    """A role whose scope is a commune or township, not a district."""
    return role in LOCAL_ROLES


def reads_reports(user: Person) -> bool:
    """Every role but a unit's reads the reports of its area (administrators: of all)."""
    return user.role in REPORT_READERS


def reads_commune(user: Person) -> bool:
    """Their area is one commune: a unit's submitter or a commune's reviewer."""
    return works_in_commune(user.role)


def reads_district(user: Person) -> bool:
    """Their area is a district: everyone but administrators (all areas) and commune roles."""
    return not is_admin(user) and not reads_commune(user)


def covers(user: Person, commune_code: str | None, district_code: str | None) -> bool:
    """Whether a place (a commune of a district) lies in the user's area."""
    if is_admin(user):
        return True
    if reads_commune(user):
        return commune_code is not None and user.scope == commune_code
    return district_code is not None and user.scope == district_code


def covers_district(user: Person, district_code: str | None) -> bool:
    """Whether a district's business (its sessions, plans, nominations) is in the user's area."""
    return covers(user, None, district_code)


@dataclass(frozen=True)
class Identity:
    id: int
    name: str
    role: str
    scope: str  # org unit code: a commune for submitters and commune reviewers, else the district
    epoch: int = 0  # the user's sign-out epoch when this session or token was issued

    def to_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data) -> Identity | None:
        try:
            return cls(id=int(data["id"]), name=data["name"], role=data["role"], scope=data["scope"],
                       epoch=int(data.get("epoch", 0)))  # issued before epochs existed: 0
        except (AttributeError, KeyError, TypeError, ValueError):
            return None

    def works_stage(self, stage: str) -> bool:
        return self.role in STAGE_ROLES.get(stage, ()) or is_admin(self)


def still_valid(identity: Identity, current_epoch: int) -> bool:
    """A session or token stands unless the user signed out everywhere after it was issued."""
    return identity.epoch >= current_epoch
