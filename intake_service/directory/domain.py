"""Rules of the org tree, free of Flask, SQL and the broker.

Vietnam's administrative map changes: communes merged at the end of 2024 and
districts ended on 1 July 2025. A unit is never rewritten into another; it gets
a ``valid_to`` and a ``successor``, so 2024 data keeps pointing at the unit as
it was, and a report for a later date rolls the old unit up into the one that
holds its area then. ``valid_to`` is the last day the unit existed (inclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# Depth in the tree; a commune and a township sit at the same depth.
LEVELS = {"province": 0, "district": 1, "commune": 2, "township": 2, "village": 3}


@dataclass(frozen=True)
class OrgUnitState:
    code: str
    name: str
    level: str
    valid_from: date
    parent_code: str | None = None
    valid_to: date | None = None
    successor_code: str | None = None

    def active_on(self, day: date) -> bool:
        """Whether the unit existed on that day."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


# Problem codes; the edges turn each into a message in the reader's language.
UNKNOWN_LEVEL = "unknown_level"
DATES_OUT_OF_ORDER = "dates_out_of_order"
UNKNOWN_PARENT = "unknown_parent"
LEVEL_NOT_BELOW_PARENT = "level_not_below_parent"
PARENT_OF_ITSELF = "parent_of_itself"
UNKNOWN_SUCCESSOR = "unknown_successor"
SUCCESSOR_WITHOUT_END = "successor_without_end"
SUCCESSOR_NOT_ACTIVE_NEXT_DAY = "successor_not_active_next_day"
SUCCESSOR_CYCLE = "successor_cycle"


class Directory:
    """The org tree as plain values: lookups, rule checks, roll-up along successor links."""

    def __init__(self, units: Iterable[OrgUnitState] = ()):
        self.units: dict[str, OrgUnitState] = {unit.code: unit for unit in units}

    def __contains__(self, code: str) -> bool:
        return code in self.units

    def with_units(self, units: Iterable[OrgUnitState]) -> Directory:
        """A copy with these units added or replaced (an import, before it is written)."""
        return Directory([*self.units.values(), *units])

    def children(self, code: str | None) -> list[OrgUnitState]:
        found = [u for u in self.units.values() if u.parent_code == code]
        return sorted(found, key=lambda u: (u.valid_from, u.name))

    def roots(self) -> list[OrgUnitState]:
        """Units without a parent (or whose parent is unknown), where the tree is drawn from."""
        found = [u for u in self.units.values() if u.parent_code not in self.units]
        return sorted(found, key=lambda u: (u.valid_from, u.name))

    def problems(self, code: str) -> list[str]:
        """Every rule the unit breaks against the rest of the tree; empty when it is sound."""
        unit = self.units[code]
        found = []
        if unit.level not in LEVELS:
            found.append(UNKNOWN_LEVEL)
        if unit.valid_to is not None and unit.valid_to < unit.valid_from:
            found.append(DATES_OUT_OF_ORDER)
        found += self._parent_problems(unit)
        found += self._successor_problems(unit)
        return found

    def _parent_problems(self, unit: OrgUnitState) -> list[str]:
        if unit.parent_code is None:
            return []
        if unit.parent_code == unit.code:
            return [PARENT_OF_ITSELF]
        parent = self.units.get(unit.parent_code)
        if parent is None:
            return [UNKNOWN_PARENT]
        if LEVELS.get(unit.level, -1) <= LEVELS.get(parent.level, 99):
            return [LEVEL_NOT_BELOW_PARENT]
        return []

    def _successor_problems(self, unit: OrgUnitState) -> list[str]:
        if unit.successor_code is None:
            return []
        successor = self.units.get(unit.successor_code)
        if successor is None:
            return [UNKNOWN_SUCCESSOR]
        if unit.valid_to is None:
            return [SUCCESSOR_WITHOUT_END]
        if self._chain(unit.code) is None:
            return [SUCCESSOR_CYCLE]
        if not successor.active_on(unit.valid_to + timedelta(days=1)):
            return [SUCCESSOR_NOT_ACTIVE_NEXT_DAY]
        return []

    def _chain(self, code: str) -> list[str] | None:
        """The successor chain starting at ``code``; None if it loops."""
        seen = [code]
        while (following := self.units[seen[-1]].successor_code) in self.units:
            if following in seen:
                return None
            seen.append(following)
        return seen

    def roll_up(self, code: str, on_date: date) -> str:
        """The unit that holds ``code``'s area on ``on_date``, following successor links."""
        chain = self._chain(code) or [code]
        for step in chain:
            valid_to = self.units[step].valid_to
            if valid_to is None or on_date <= valid_to:
                return step
        return chain[-1]

    def area(self, code: str) -> set[str]:
        """``code``, every unit below it, and the same for the units merged into it."""
        found: set[str] = set()
        waiting = [code, *self.predecessors(code)] if code in self.units else [code]
        while waiting:
            current = waiting.pop()
            if current not in found:
                found.add(current)
                waiting += [child.code for child in self.children(current)]
        return found

    def predecessors(self, code: str) -> set[str]:
        """Every unit whose successor chain leads to ``code`` (its data rolls up into it)."""
        return {other for other in self.units if other != code and code in (self._chain(other) or ())}
