"""The demo directory: Con Cuông's org tree with its merges, and a few invented units and people."""

from __future__ import annotations

from intake_service.directory import con_cuong, services
from intake_service.directory.services import ImportReport
from shared.uow import UnitOfWork


def seed_con_cuong(uow: UnitOfWork) -> ImportReport:
    """Write (or bring up to date) the demo directory; running it twice changes nothing."""
    report = ImportReport("org_units")
    for state in con_cuong.org_units():
        services.save_org_unit(uow, state, report)
    for code, name, kind, org_code in con_cuong.UNITS:
        services.save_unit(uow, {"code": code, "name": name, "kind": kind, "org_code": org_code},
                           ImportReport("units"))
    for unit_code, name, position in con_cuong.PEOPLE:
        services.add_person(uow, unit_code, name, position)
    uow.commit()
    return report
