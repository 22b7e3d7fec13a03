"""The administrator's page of approval chains: what is in force, its history, and a change."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from review_service.chains import rules, services
from review_service.web import review
from shared.catalog import FIELDS, KINDS, STAGES, SUBJECT_TYPES
from shared.errors import StaleDecision
from shared.identity import Role
from shared.web.auth import login_required, require_role

bp = Blueprint("chains", __name__, url_prefix="/admin/chains")


def said(problem: rules.Problem) -> str:
    """A configuration's problem in the reader's language, its parameters too when they are
    messages themselves ("rule 2: ...")."""
    params = {name: said(value) if isinstance(value, rules.Problem) else value
              for name, value in problem.params.items()}
    return _(problem.msgid, **params)


def _page(text: str | None = None, problems: list[str] | None = None, status: int = 200):
    with review().sessions() as db:
        current = services.in_force(db, review().chain_config)
        return render_template(
            "chains/index.html", current=current, history=services.history(db),
            text=text if text is not None else current.config.to_json(), problems=problems or [],
            stages=STAGES, kinds=KINDS, fields=FIELDS, subject_types=SUBJECT_TYPES,
            conditions=rules.CONDITIONS), status


@bp.get("")
@login_required
def index():
    """Show the chains in force, their rules and earlier versions."""
    require_role(Role.ADMIN)
    return _page()


@bp.post("")
@login_required
def save():
    """Save a changed configuration as a new version; items in flight keep theirs."""
    user = require_role(Role.ADMIN)
    text = request.form.get("config", "")
    cmd = services.SaveConfig(user, text, request.form.get("based_on", -1, type=int))
    try:
        with review().uow() as uow:
            version = services.save(cmd, uow)
    except rules.InvalidConfig as invalid:
        return _page(text, [said(problem) for problem in invalid.problems], 422)
    except StaleDecision:
        return _page(text, [_("Someone saved another version meanwhile. Your text is kept below; "
                              "compare it with the version now in force and save again.")], 409)
    flash(_("Version %(version)s of the approval chains is in force for new submissions.",
            version=version))
    return redirect(url_for("chains.index"))
