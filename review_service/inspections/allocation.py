"""Which team inspects a model, and who of it goes: pure rules, tested on their own.

A team is eligible for a model when it covers the model's commune and at least one of
its members is free of conflict (``domain.conflicts``). Among eligible teams the one
with the fewest open tasks gets it; ties go to the team created first (lowest id), so
the same state always gives the same answer. The task names the members who go: the
team's members, less those who conflict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from review_service.inspections.domain import Member, Target, free_of_conflict


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    communes: frozenset[str]
    members: tuple[Member, ...]
    open_load: int = 0


@dataclass(frozen=True)
class Assignment:
    team: Team
    inspectors: tuple[Member, ...]


class Refused(ValueError):
    """The team may not take the task; ``reason``: not_covering, no_members, all_conflicted."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def check_team(team: Team, target: Target) -> Assignment:
    """The team and who of it goes, or ``Refused`` saying why the team may not take it."""
    if target.commune_code not in team.communes:
        raise Refused("not_covering")
    if not team.members:
        raise Refused("no_members")
    inspectors = free_of_conflict(team.members, target)
    if not inspectors:
        raise Refused("all_conflicted")
    return Assignment(team, inspectors)


def eligible(teams: Iterable[Team], target: Target) -> list[Assignment]:
    """Every team that may take the task, least loaded first, then oldest first."""
    found = []
    for team in teams:
        try:
            found.append(check_team(team, target))
        except Refused:
            continue
    return sorted(found, key=lambda a: (a.team.open_load, a.team.id))


def choose(teams: Iterable[Team], target: Target) -> Assignment | None:
    """The assignment the rules give, or None when no team is eligible."""
    found = eligible(teams, target)
    return found[0] if found else None
