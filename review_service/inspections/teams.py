"""Inspection teams (đoàn kiểm tra): an administrator names them, their communes and members.

Review keeps no users of its own, so a member is entered with the user number they sign
in with, their name, their home commune and (optionally) their unit: the last two are
what conflicts of interest are checked against. After each change the district's waiting
tasks are tried again, so a new team picks up what no team could take before.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from review_service.inspections import domain, services
from review_service.inspections.config import InspectionConfig
from review_service.inspections.tables import InspectionTask, InspectionTeam, TeamMember
from review_service.mirrors import directory
from review_service.team import services as assignment
from review_service.team.tables import Reviewer
from shared.errors import InvalidInput, NotFound
from shared.identity import Identity, Role, covers_district, is_admin
from shared.text import normalise
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class SaveTeam:
    user: Identity
    name: str
    communes: tuple[str, ...]
    team_id: int | None = None  # none: a new team


@dataclass(frozen=True)
class AddMember:
    user: Identity
    team_id: int
    user_id: int
    name: str
    home_commune: str
    unit_name: str = ""


@dataclass(frozen=True)
class RemoveMember:
    user: Identity
    team_id: int
    member_id: int


def seen(session: Session, user: Identity) -> None:
    """Remember an inspector who opened their inspections, so an administrator can pick them."""
    assignment.seen(session, user, domain.INSPECTOR_ROLES)


def known_people(session: Session, district_code: str,
                 communes: dict[str, str]) -> list[Reviewer]:
    """The inspectors and reviewers review has seen in the district, by name."""
    return list(session.scalars(select(Reviewer).where(
        Reviewer.scope.in_([district_code, *communes])).order_by(
        (Reviewer.role != Role.INSPECTOR), Reviewer.name)))


def teams(db: Session, user: Identity) -> list[InspectionTeam]:
    """The district's teams (planners may read them; administrators change them)."""
    domain.check_planner(user)
    query = select(InspectionTeam).order_by(InspectionTeam.name, InspectionTeam.id)
    if not is_admin(user):
        query = query.where(InspectionTeam.district_code == user.scope)
    return list(db.scalars(query))


def get_team(db: Session, user: Identity, team_id: int) -> InspectionTeam:
    domain.check_planner(user)
    team = db.get(InspectionTeam, team_id)
    if team is None or not covers_district(user, team.district_code):
        raise NotFound()
    return team


def open_tasks(db: Session, team_id: int) -> int:
    return len(db.scalars(select(InspectionTask.id).where(
        InspectionTask.team_id == team_id, InspectionTask.status == "assigned")).all())


def save_team(cmd: SaveTeam, uow: UnitOfWork, config: InspectionConfig) -> InspectionTeam:
    """Create a team of the administrator's district, or rename it and change its communes."""
    domain.check_admin(cmd.user)
    name = normalise(cmd.name).strip()
    team = get_team(uow.session, cmd.user, cmd.team_id) if cmd.team_id else None
    district = team.district_code if team else cmd.user.scope
    known = directory.communes(uow.session, district)
    errors = {}
    if not 3 <= len(name) <= 200:
        errors["name"] = ["length"]
    elif uow.session.scalar(select(InspectionTeam.id).where(
            InspectionTeam.district_code == district, InspectionTeam.name == name,
            InspectionTeam.id != (team.id if team else -1))) is not None:
        errors["name"] = ["duplicate"]
    if not cmd.communes or any(code not in known for code in cmd.communes):
        errors["communes"] = ["required"]
    if errors:
        raise InvalidInput(errors)
    if team is None:
        team = InspectionTeam(district_code=district, members=[])
        uow.session.add(team)
    team.name, team.communes = name, sorted(set(cmd.communes))
    uow.session.flush()
    services.assign_waiting(uow.session, cmd.user, district, config)
    uow.commit()
    return team


def add_member(cmd: AddMember, uow: UnitOfWork, config: InspectionConfig) -> TeamMember:
    """Put a user on a team with their home commune and unit (for conflicts of interest)."""
    domain.check_admin(cmd.user)
    team = get_team(uow.session, cmd.user, cmd.team_id)
    name, unit = normalise(cmd.name).strip(), normalise(cmd.unit_name).strip()
    errors = {}
    if not 0 < cmd.user_id < 2**31:
        errors["user_id"] = ["range"]
    elif any(m.user_id == cmd.user_id for m in team.members):
        errors["user_id"] = ["duplicate"]
    if not 2 <= len(name) <= 200:
        errors["member_name"] = ["length"]
    if cmd.home_commune not in directory.communes(uow.session):
        errors["home_commune"] = ["required"]
    if len(unit) > 200:
        errors["unit_name"] = ["length"]
    if errors:
        raise InvalidInput(errors)
    member = TeamMember(team=team, user_id=cmd.user_id, name=name,
                        home_commune=cmd.home_commune, unit_name=unit or None)
    uow.session.add(member)
    uow.session.flush()
    services.assign_waiting(uow.session, cmd.user, team.district_code, config)
    uow.commit()
    return member


def remove_member(cmd: RemoveMember, uow: UnitOfWork) -> TeamMember:
    """Take a member off a team; tasks already assigned keep the people named on them."""
    domain.check_admin(cmd.user)
    team = get_team(uow.session, cmd.user, cmd.team_id)
    member = next((m for m in team.members if m.id == cmd.member_id), None)
    if member is None:
        raise NotFound()
    team.members.remove(member)
    uow.commit()
    return member
