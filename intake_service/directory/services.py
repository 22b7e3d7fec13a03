"""The directory's handlers: plain functions taking a command and a unit of work.

An import is all or nothing: every row is checked (its own fields, then against
the tree as it would be after the import) before anything is written, and the
writes and their events share one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from intake_service.accounts import services as accounts
from intake_service.accounts.tables import User
from intake_service.directory import domain
from intake_service.directory.domain import Directory, OrgUnitState
from intake_service.directory.importer import (
    ImportRejected,
    RowError,
    Table,
    Upload,
    check_header,
    duplicates,
    validate_rows,
)
from intake_service.directory.tables import OrgUnit, Person, Unit
from shared import events
from shared.identity import Identity, is_admin, works_in_commune
from shared.uow import UnitOfWork

PRODUCER = "intake"

PROBLEMS = {
    domain.UNKNOWN_LEVEL: ("level", _l("Unknown level.")),
    domain.DATES_OUT_OF_ORDER: ("valid_to", _l("The end date is before the start date.")),
    domain.UNKNOWN_PARENT: ("parent", _l("No org unit has this parent code.")),
    domain.PARENT_OF_ITSELF: ("parent", _l("A unit cannot be its own parent.")),
    domain.LEVEL_NOT_BELOW_PARENT: ("level", _l("The level must be below the parent's level.")),
    domain.UNKNOWN_SUCCESSOR: ("successor", _l("No org unit has this successor code.")),
    domain.SUCCESSOR_WITHOUT_END: ("valid_to", _l("A unit with a successor needs an end date.")),
    domain.SUCCESSOR_NOT_ACTIVE_NEXT_DAY: (
        "successor", _l("The successor must exist on the day after this unit ends.")),
    domain.SUCCESSOR_CYCLE: ("successor", _l("The successor links go round in a circle.")),
}


@dataclass(frozen=True)
class ImportDirectory:
    kind: str  # "org_units", "units" or "users"
    upload: Upload
    correlation_id: str = ""


@dataclass
class ImportReport:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)


def import_rows(cmd: ImportDirectory, uow: UnitOfWork) -> ImportReport:
    """Validate every row; write all of them in one transaction, or raise ``ImportRejected``."""
    errors = check_header(cmd.kind, cmd.upload)
    if errors:
        raise ImportRejected(errors)
    rows, errors = validate_rows(cmd.kind, cmd.upload.rows)
    checks, writer = HANDLERS[cmd.kind]
    errors += checks(uow.session, rows)
    if errors:
        raise ImportRejected(errors)
    report = ImportReport(cmd.kind)
    writer(uow, rows, report, cmd.correlation_id)
    uow.commit()
    return report


# ---- org units ------------------------------------------------------------------------------


def directory(session: Session) -> Directory:
    return Directory(unit.state() for unit in session.scalars(select(OrgUnit)))


def _state(data: dict) -> OrgUnitState:
    return OrgUnitState(data["code"], data["name"], data["level"], data["valid_from"],
                        data["parent"], data["valid_to"], data["successor"])


def _check_org_units(session: Session, rows: Table) -> list[RowError]:
    errors = duplicates(rows, "code")
    before = directory(session)
    after = before.with_units(_state(data) for _number, data in rows)
    row_of = {data["code"]: number for number, data in rows}
    for number, data in rows:
        errors += [RowError(number, *PROBLEMS[p]) for p in after.problems(data["code"])]
    for other in after.units.values():  # units outside the file that the import would break
        refs = [row_of[c] for c in (other.parent_code, other.successor_code) if c in row_of]
        if other.code not in row_of and refs and after.problems(other.code) \
                and not before.problems(other.code):
            errors.append(RowError(refs[0], None, _l(
                "This change would break the org unit %(code)s.", code=other.code)))
    return errors


def _write_org_units(uow: UnitOfWork, rows: Table, report: ImportReport, correlation_id: str) -> None:
    for _number, data in rows:
        save_org_unit(uow, _state(data), report, correlation_id)


def save_org_unit(uow: UnitOfWork, state: OrgUnitState, report: ImportReport,
                  correlation_id: str = "") -> OrgUnit:
    """Create or update one org unit; a real change bumps its version and is announced."""
    unit = uow.session.scalar(select(OrgUnit).where(OrgUnit.code == state.code))
    if unit is not None and unit.state() == state:
        report.unchanged += 1
        return unit
    if unit is None:
        unit = OrgUnit(code=state.code, version=1)
        uow.session.add(unit)
        report.created += 1
    else:
        unit.version += 1
        report.updated += 1
    for name in ("name", "level", "parent_code", "valid_from", "valid_to", "successor_code"):
        setattr(unit, name, getattr(state, name))
    uow.session.flush()
    report.codes.append(unit.code)
    uow.emit(_org_unit_changed(unit, correlation_id))
    return unit


def _org_unit_changed(unit: OrgUnit, correlation_id: str) -> events.Event:
    payload = {name: getattr(unit, name) for name in (
        "code", "name", "level", "parent_code", "valid_from", "valid_to", "successor_code",
        "version")}
    return events.Event(type=events.ORG_UNIT_CHANGED, producer=PRODUCER,
                        aggregate_id=f"org_unit:{unit.code}", aggregate_version=unit.version,
                        correlation_id=correlation_id, payload=payload)


# ---- units (collective bodies) --------------------------------------------------------------


def _check_units(session: Session, rows: Table) -> list[RowError]:
    errors = duplicates(rows, "code")
    known = directory(session)
    return errors + [RowError(number, "org_code", _l("No org unit has this code."))
                     for number, data in rows if data["org_code"] not in known]


def _write_units(uow: UnitOfWork, rows: Table, report: ImportReport, correlation_id: str) -> None:
    for _number, data in rows:
        save_unit(uow, data, report, correlation_id)


def save_unit(uow: UnitOfWork, data: dict, report: ImportReport, correlation_id: str = "") -> Unit:
    """Create or update a unit attached to an org unit; a real change is announced."""
    unit = uow.session.scalar(select(Unit).where(Unit.code == data["code"]))
    values = {name: data[name] for name in ("name", "kind", "org_code")}
    if unit is not None and all(getattr(unit, k) == v for k, v in values.items()):
        report.unchanged += 1
        return unit
    if unit is None:
        unit = Unit(code=data["code"], version=1, **values)
        uow.session.add(unit)
        report.created += 1
    else:
        unit.version += 1
        report.updated += 1
        for name, value in values.items():
            setattr(unit, name, value)
    uow.session.flush()
    report.codes.append(unit.code)
    uow.emit(events.Event(
        type=events.UNIT_CHANGED, producer=PRODUCER, aggregate_id=f"unit:{unit.code}",
        aggregate_version=unit.version, correlation_id=correlation_id,
        payload={"code": unit.code, "name": unit.name, "kind": unit.kind,
                 "org_code": unit.org_code, "version": unit.version}))
    return unit


# ---- users ----------------------------------------------------------------------------------


def _check_users(session: Session, rows: Table) -> list[RowError]:
    errors = duplicates(rows, "username")
    known = directory(session)
    taken = set(session.scalars(select(User.username).where(
        User.username.in_([data["username"] for _n, data in rows]))))
    for number, data in rows:
        if data["username"] in taken:
            errors.append(RowError(number, "username", _l("A user with this username already exists.")))
        scope = known.units.get(data["scope"])
        if scope is None:
            errors.append(RowError(number, "scope", _l("No org unit has this code.")))
        elif works_in_commune(data["role"]) and scope.level not in ("commune", "township"):
            errors.append(RowError(number, "scope", _l(
                "This role works in a commune or township; choose one as its scope.")))
    return errors


def _write_users(uow: UnitOfWork, rows: Table, report: ImportReport, _correlation_id: str) -> None:
    for _number, data in rows:
        accounts.create_user(uow.session, data["username"], data["name"], data["password"],
                             data["role"], data["scope"], email=data.get("email"))
        report.created += 1
        report.codes.append(data["username"])


HANDLERS = {
    "org_units": (_check_org_units, _write_org_units),
    "units": (_check_units, _write_units),
    "users": (_check_users, _write_users),
}


# ---- reading --------------------------------------------------------------------------------


def units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.org_code, Unit.name)))


def people(session: Session, within: set[str] | None = None) -> list[Person]:
    """People by unit; only those of units attached to the org units ``within``, if given."""
    query = select(Person).join(Unit).options(contains_eager(Person.unit))
    if within is not None:
        query = query.where(Unit.org_code.in_(sorted(within)))
    return list(session.scalars(query.order_by(Unit.org_code, Unit.name, Person.name)))


def people_visible_to(session: Session, user: Identity) -> list[Person]:
    """An administrator sees everyone; anyone else the people of units in their own area.

    The area is the user's scope with everything below it, and the units merged into it
    (a 2025 commune's reviewer also sees the people of the communes it was formed from).
    """
    if is_admin(user):
        return people(session)
    return people(session, within=directory(session).area(user.scope))


def add_person(uow: UnitOfWork, unit_code: str, name: str, position: str | None = None) -> Person:
    """Attach a person to a unit (the demo seed uses it; people stay in intake)."""
    unit = uow.session.scalar(select(Unit).where(Unit.code == unit_code))
    existing = uow.session.scalar(select(Person).where(Person.unit_id == unit.id, Person.name == name))
    if existing is not None:
        return existing
    person = Person(unit_id=unit.id, name=name, position=position)
    uow.session.add(person)
    return person
