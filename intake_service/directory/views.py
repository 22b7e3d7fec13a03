"""The administrator's directory pages: the org tree, units, people, and the import."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from intake_service.directory import services
from intake_service.directory.catalog import LEVELS, ROLE_LABELS, UNIT_KINDS
from intake_service.directory.importer import BadFile, ImportRejected, read_table
from intake_service.directory.schemas import COLUMNS
from intake_service.web import intake
from shared.identity import Role, is_admin
from shared.web.auth import current_user, login_required, require_role
from shared.web.errors import HTTP_MESSAGES, error_response

bp = Blueprint("directory", __name__, url_prefix="/admin/directory")

KINDS = {"org_units": _l("Org units"), "units": _l("Units"), "users": _l("Users")}
AFTER_IMPORT = {"org_units": "directory.tree", "units": "directory.units", "users": "directory.new_import"}


@bp.before_request
@login_required
def admins_only():
    """Every directory page is for administrators; any other role gets 403."""
    require_role(Role.ADMIN)


@bp.get("")
def tree():
    """Show the org tree with each unit's validity and successor."""
    with intake().sessions() as db:
        directory = services.directory(db)
    formed_from: dict[str, list] = {}
    for unit in directory.units.values():
        if unit.successor_code:
            formed_from.setdefault(unit.successor_code, []).append(unit)
    return render_template("directory/tree.html", directory=directory, levels=LEVELS,
                           formed_from=formed_from)


@bp.get("/units")
def units():
    """List the units (collective bodies) by org unit."""
    with intake().sessions() as db:
        return render_template("directory/units.html", units=services.units(db),
                               names=_names(db), kinds=UNIT_KINDS)


@bp.get("/people")
def people():
    """List the people of each unit."""
    with intake().sessions() as db:
        return render_template("directory/people.html", people=services.people(db), names=_names(db))


def _names(db) -> dict[str, str]:
    return {code: unit.name for code, unit in services.directory(db).units.items()}


@bp.get("/import")
def new_import():
    """Show the upload form for an import."""
    return _import_form(request.args.get("kind", "org_units"))


@bp.post("/import")
def run_import():
    """Import a CSV or XLSX file: every row is written, or none."""
    kind = request.form.get("kind", "")
    upload = request.files.get("file")
    if kind not in KINDS:
        return _import_form(kind, message=_("Choose what the file holds."), status=422)
    if upload is None or not upload.filename:
        return _import_form(kind, message=_("Choose a file to upload."), status=422)
    try:
        table = read_table(upload.filename, upload.read())
        with intake().uow() as uow:
            report = services.import_rows(services.ImportDirectory(kind, table), uow)
    except BadFile as bad:
        return _import_form(kind, message=bad.message, status=422)
    except ImportRejected as rejected:
        return _import_form(kind, row_errors=rejected.errors, status=422)
    flash(_("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
            created=report.created, updated=report.updated, unchanged=report.unchanged))
    return redirect(url_for(AFTER_IMPORT[kind]))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """Say the file is too large on the form itself (the app caps uploads at 1 MB)."""
    user = current_user()
    if user is None or not is_admin(user):  # raising here would turn into a 500
        return error_response(413, HTTP_MESSAGES[413])
    return _import_form("org_units", status=413,
                        message=_("The file is larger than 1 MB; split it into smaller files."))


def _import_form(kind: str, message=None, row_errors=(), status: int = 200):
    return render_template("directory/import.html", kind=kind, kinds=KINDS, columns=COLUMNS,
                           message=message, row_errors=row_errors, levels=LEVELS,
                           unit_kinds=UNIT_KINDS, roles=ROLE_LABELS), status
