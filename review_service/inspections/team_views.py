"""Administrators' pages for inspection teams: their names, communes and members."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from review_service.inspections import teams
from review_service.inspections.views import config
from review_service.mirrors import directory
from review_service.team.tables import Reviewer
from review_service.web import review
from shared.errors import InvalidInput
from shared.identity import is_admin
from shared.web.auth import current_user, login_required

bp = Blueprint("inspection_teams", __name__)

MESSAGES = {
    ("name", "length"): _l("Give the team a name of 3 to 200 characters."),
    ("name", "duplicate"): _l("The district already has a team of that name."),
    ("communes", "required"): _l("Choose at least one commune the team covers."),
    ("user_id", "range"): _l("Choose the person, or give their user number."),
    ("user_id", "duplicate"): _l("This person is already on the team."),
    ("member_name", "length"): _l("Give the member's full name."),
    ("home_commune", "required"): _l("Choose the commune the member lives or works in."),
    ("unit_name", "length"): _l("The unit's name is too long: at most 200 characters."),
}


def described(errors: dict) -> dict[str, list[str]]:
    return {name: [str(MESSAGES.get((name, code), code)) for code in codes]
            for name, codes in errors.items()}


def _index_page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    user = current_user()
    with review().sessions() as db:
        found = teams.teams(db, user)
        return render_template(
            "inspections/teams.html", teams=found,
            loads={t.id: teams.open_tasks(db, t.id) for t in found},
            communes=directory.communes(db, user.scope), all_communes=directory.communes(db),
            is_admin=is_admin(user), errors=errors or {},
            values=values or {}), status


@bp.get("/admin/inspection-teams")
@login_required
def index():
    """List the district's inspection teams; an administrator sets up a new one here."""
    return _index_page()


def _team_values() -> dict:
    return {"name": request.form.get("name", ""), "communes": request.form.getlist("communes")}


@bp.post("/admin/inspection-teams")
@login_required
def create():
    """Set up a team with the communes it covers."""
    values = _team_values()
    cmd = teams.SaveTeam(current_user(), values["name"], tuple(values["communes"]))
    try:
        with review().uow() as uow:
            team_id = teams.save_team(cmd, uow, config()).id
    except InvalidInput as invalid:
        return _index_page(described(invalid.errors), values, 422)
    flash(_("Team created. Add its members next."))
    return redirect(url_for("inspection_teams.show", team_id=team_id), 303)


def _team_page(team_id: int, errors: dict | None = None, values: dict | None = None,
               status: int = 200):
    user = current_user()
    with review().sessions() as db:
        team = teams.get_team(db, user, team_id)
        communes = directory.communes(db, team.district_code)
        return render_template(
            "inspections/team.html", team=team, load=teams.open_tasks(db, team.id),
            known=teams.known_people(db, team.district_code, communes), communes=communes,
            all_communes=directory.communes(db), is_admin=is_admin(user),
            errors=errors or {}, values=values or {}), status


@bp.get("/admin/inspection-teams/<int:team_id>")
@login_required
def show(team_id: int):
    """Show a team: its communes, its members, and their open tasks."""
    return _team_page(team_id)


@bp.post("/admin/inspection-teams/<int:team_id>")
@login_required
def update(team_id: int):
    """Rename a team or change the communes it covers."""
    values = _team_values()
    cmd = teams.SaveTeam(current_user(), values["name"], tuple(values["communes"]), team_id)
    try:
        with review().uow() as uow:
            teams.save_team(cmd, uow, config())
    except InvalidInput as invalid:
        return _team_page(team_id, described(invalid.errors), values, 422)
    flash(_("Team saved."))
    return redirect(url_for("inspection_teams.show", team_id=team_id), 303)


@bp.post("/admin/inspection-teams/<int:team_id>/members")
@login_required
def add_member(team_id: int):
    """Put a person on the team, with their home commune and unit."""
    values = request.form.to_dict()
    known = values.get("known_id", "")
    if known.isdigit():  # picked from the people review has seen: their number and name
        with review().sessions() as db:
            person = db.get(Reviewer, int(known))
            if person is not None:
                values |= {"user_id": str(person.id), "member_name": person.name}
    user_id = values.get("user_id", "").strip()
    cmd = teams.AddMember(current_user(), team_id, int(user_id) if user_id.isdigit() else 0,
                          values.get("member_name", ""), values.get("home_commune", ""),
                          values.get("unit_name", ""))
    try:
        with review().uow() as uow:
            teams.add_member(cmd, uow, config())
    except InvalidInput as invalid:
        return _team_page(team_id, described(invalid.errors), values, 422)
    flash(_("Member added."))
    return redirect(url_for("inspection_teams.show", team_id=team_id), 303)


@bp.post("/admin/inspection-teams/<int:team_id>/members/<int:member_id>/remove")
@login_required
def remove_member(team_id: int, member_id: int):
    """Take a member off the team."""
    with review().uow() as uow:
        removed = teams.remove_member(teams.RemoveMember(current_user(), team_id, member_id), uow)
        name = removed.name
    flash(_("%(name)s is no longer on the team.", name=name))
    return redirect(url_for("inspection_teams.show", team_id=team_id), 303)
