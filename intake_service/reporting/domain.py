"""The district report's rules, free of Flask, SQL and the broker: roll-up, shaping, comparisons.

What the report counts (the seed's section III.2 and its footnote):

- A model is **registered** in a period when its registration names that period
  (``period_id``: a registration belongs to the period open for registrations
  when it was started) and its status is submitted, in review, returned or
  approved. Drafts were never sent; withdrawn and rejected ones are no models. A
  returned registration is still registered: its unit is fixing it. Review
  status counts rejected ones too.
- A **unit** (collective) or **person** (individual) is told apart by the name
  the registration carries (``unit_name`` / ``person_name``, NFC-normalised when
  typed) within its commune; a registration without one counts its submitter.
- **Contributions** are the sums of the figures of approved result reports of
  the period.
- **Overdue** is a submission waiting in review longer than a stage's due time
  (review's default, 7 days) since the last change intake knows of.
- **Timeliness** follows the periods' rules: the first day each unit sent a
  registration or a result report of the period, against the deadline.

Roll-up: a report for an org unit counts the communes below it and below every
unit whose successor chain leads to it, so a 2025 commune asked for 2024 shows
its predecessors' models. Each commune's figures are shown under the unit that
held its area on the last day of the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from intake_service.directory.domain import OrgUnitState
from shared.identity import Role

FIELD_CODES = ("economy", "culture_society", "new_rural", "defense_security", "political_system")
SUBJECT_CODES = ("collective", "individual")
REGISTERED = ("submitted", "in_review", "returned", "approved")
PENDING = ("submitted", "in_review")
COMMUNE_LEVELS = ("commune", "township")
COUNTRY = "*"  # the whole country: every province


def period_end(kind: str, year: int, deadline: date) -> date:
    """The last day a period covers: 30 June for the first half, 31 December for the year."""
    if kind == "H1":
        return date(year, 6, 30)
    if kind == "FY":
        return date(year, 12, 31)
    return deadline


def previous_of(kind: str, year: int) -> tuple[str, int]:
    """The period a report is compared with: the same kind, a year earlier."""
    return kind, year - 1


# ---- the org tree, indexed once per report ---------------------------------------------------


class Tree:
    """The org tree with children and predecessors indexed, for roll-up over thousands of units."""

    def __init__(self, units: Iterable[OrgUnitState]):
        self.units = {unit.code: unit for unit in units}
        self._children: dict[str | None, list[str]] = defaultdict(list)
        self._merged_into: dict[str, list[str]] = defaultdict(list)
        for unit in self.units.values():
            self._children[unit.parent_code].append(unit.code)
            if unit.successor_code:
                self._merged_into[unit.successor_code].append(unit.code)

    def children_of(self, code: str) -> list[str]:
        return list(self._children.get(code, []))

    def area(self, code: str) -> set[str]:
        """``code``, every unit below it, and the same for every unit merged into it."""
        if code == COUNTRY:
            return set(self.units)
        found: set[str] = set()
        waiting = [code]
        while waiting:
            current = waiting.pop()
            if current in found:
                continue
            found.add(current)
            waiting += self._children.get(current, [])
            waiting += self._merged_into.get(current, [])
        return found

    def communes(self, code: str) -> list[str]:
        """The commune-level units whose submissions an org unit's report counts."""
        return sorted(c for c in self.area(code) if c in self.units
                      and self.units[c].level in COMMUNE_LEVELS)

    def roll_up(self, code: str, on_date: date) -> str:
        """The unit that holds ``code``'s area on ``on_date``, following successor links."""
        seen = [code]
        while code in self.units:
            unit = self.units[code]
            if unit.valid_to is None or on_date <= unit.valid_to or not unit.successor_code:
                return code
            code = unit.successor_code
            if code in seen:
                return seen[0]
            seen.append(code)
        return code

    def ancestor(self, code: str, level: str) -> str:
        """The unit of ``level`` above ``code`` (itself when it is of that level)."""
        current = self.units.get(code)
        while current is not None and current.level != level and current.parent_code:
            current = self.units.get(current.parent_code)
        return current.code if current is not None and current.level == level else code

    def name(self, code: str) -> str:
        unit = self.units.get(code)
        return unit.name if unit else code

    def row_of(self, commune: str, report_org: str, on_date: date) -> str:
        """Where one commune's figures go in the report's breakdown: a province for the country,
        else the commune that held its area on the period's last day."""
        rolled = self.roll_up(commune, on_date)
        return self.ancestor(rolled, "province") if report_org == COUNTRY else rolled


def may_see(tree: Tree, role: str, scope: str, org: str) -> bool:
    """Administrators see every report; others see their own area's (a unit: none)."""
    if role == Role.ADMIN:
        return True
    if role == Role.SUBMITTER or org == COUNTRY:
        return False
    return org in tree.area(scope)


# ---- the report's shape ----------------------------------------------------------------------


@dataclass
class Counts:
    """Models per field and distinct holders, for one subject type."""

    holders: int = 0
    by_field: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELD_CODES, 0))

    @property
    def models(self) -> int:
        return sum(self.by_field.values())


@dataclass
class Registered:
    """The seed's section III.2 table for one area: per subject type, holders and models per field."""

    by_subject: dict[str, Counts] = field(
        default_factory=lambda: {subject: Counts() for subject in SUBJECT_CODES})

    @property
    def total(self) -> int:
        return sum(c.models for c in self.by_subject.values())

    def field_total(self, field_code: str) -> int:
        return sum(c.by_field[field_code] for c in self.by_subject.values())


class ModelRow(NamedTuple):
    """One aggregate row from the database: registrations of a commune, field and subject type.

    A tuple: the country's report reads tens of thousands of them.
    """

    commune: str
    field: str
    subject: str
    models: int  # registered (sent, not rejected)
    exemplars: int = 0  # of those sent, rejected ones included
    verified: int = 0
    partly_verified: int = 0
    not_verified: int = 0


class HolderRow(NamedTuple):
    """Distinct units or people of a commune and subject type."""

    commune: str
    subject: str
    holders: int


def shape_registered(model_rows: Iterable[ModelRow], holder_rows: Iterable[HolderRow],
                     row_of=lambda commune: commune) -> tuple[Registered, dict[str, Registered]]:
    """The whole area's table and one per breakdown row (``row_of`` maps a commune to its row)."""
    total, rows = Registered(), defaultdict(Registered)
    for r in model_rows:
        if r.field in FIELD_CODES and r.subject in SUBJECT_CODES:
            for target in (total, rows[row_of(r.commune)]):
                target.by_subject[r.subject].by_field[r.field] += r.models
    for r in holder_rows:
        if r.subject in SUBJECT_CODES:
            for target in (total, rows[row_of(r.commune)]):
                target.by_subject[r.subject].holders += r.holders
    return total, dict(rows)


@dataclass(frozen=True)
class Delta:
    """A figure now, the same figure in the previous period, and the change."""

    now: int | Decimal
    before: int | Decimal | None

    @property
    def change(self) -> int | Decimal | None:
        return None if self.before is None else self.now - self.before

    @property
    def sign(self) -> str:
        change = self.change
        if change is None or change == 0:
            return ""
        return "up" if change > 0 else "down"


def registered_from_series(rows: Iterable[tuple[int, str, str, int]], period_id: int,
                           holders: Mapping[str, int]) -> Registered:
    """One period's table from (period, field, subject, models) rows and its holder totals."""
    found = Registered()
    for pid, field_code, subject, models in rows:
        if pid == period_id and field_code in FIELD_CODES and subject in SUBJECT_CODES:
            found.by_subject[subject].by_field[field_code] += models
    for subject, count in holders.items():
        if subject in SUBJECT_CODES:
            found.by_subject[subject].holders = count
    return found


def recognition_of(rows: Iterable[ModelRow]) -> dict[str, dict[str, int]]:
    """Exemplars and inspection outcomes of the period's models, summed over the detail rows."""
    rows = list(rows)
    return {"exemplars": {"exemplar": sum(r.exemplars for r in rows)},
            "inspections": {name: total for name in ("verified", "partly_verified", "not_verified")
                            if (total := sum(getattr(r, name) for r in rows))}}


def compare(now: Registered, before: Registered | None) -> dict[str, Delta]:
    """The headline figures of two periods side by side: total, per subject type, per field."""
    def pick(reg: Registered | None, key: str):
        if reg is None:
            return None
        if key == "total":
            return reg.total
        if key in SUBJECT_CODES:
            return reg.by_subject[key].models
        if key.startswith("holders:"):
            return reg.by_subject[key.split(":", 1)[1]].holders
        return reg.field_total(key)

    keys = ["total", *SUBJECT_CODES, *(f"holders:{s}" for s in SUBJECT_CODES), *FIELD_CODES]
    return {key: Delta(pick(now, key), pick(before, key)) for key in keys}


def compare_sums(now: Mapping[str, Decimal], before: Mapping[str, Decimal] | None) -> dict[str, Delta]:
    """Contributions of two periods side by side, per indicator."""
    return {code: Delta(value, None if before is None else before.get(code, Decimal(0)))
            for code, value in now.items()}


@dataclass(frozen=True)
class StatusRow:
    """Review status of one kind of submission: how many are where."""

    approved: int = 0
    returned: int = 0
    pending: int = 0
    overdue: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        return self.approved + self.returned + self.pending + self.rejected


def shape_status(rows: Iterable[tuple[str, str, bool, int]]) -> dict[str, StatusRow]:
    """(kind, status, overdue, count) rows into one StatusRow per kind."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind, status, overdue, count in rows:
        bucket = "pending" if status in PENDING else status
        if bucket in ("approved", "returned", "pending", "rejected"):
            counts[kind][bucket] += count
        if bucket == "pending" and overdue:
            counts[kind]["overdue"] += count
    return {kind: StatusRow(**values) for kind, values in counts.items()}


def totals_of(figures: Iterable[tuple[str, Decimal | int | None]],
              codes: Iterable[str]) -> dict[str, Decimal]:
    """Summed figures per indicator code, every code present (zero when none reported)."""
    sums = dict.fromkeys(codes, Decimal(0))
    for code, value in figures:
        if code in sums and value is not None:
            sums[code] += Decimal(value)
    return sums


def share(part: int, whole: int) -> int:
    """A whole percentage, 0 when there is nothing to share."""
    return round(100 * part / whole) if whole else 0
