"""Amending an approved model: the form, its draft and its submission for review."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from intake_service.amendments import services as amendments
from intake_service.submissions import services
from intake_service.submissions.domain import AmendmentInProgress, NothingChanged, Status, check_editable
from intake_service.submissions.schemas import AmendmentSchema, load_amendment
from intake_service.web import intake
from shared.catalog import AMENDABLE, FIELDS
from shared.errors import InvalidInput
from shared.web.auth import current_user, login_required

bp = Blueprint("amendments", __name__)


def _form(model, values: dict, errors: dict | None = None, amendment=None, status: int = 200):
    return render_template("submissions/amendment_form.html", model=model, values=values,
                           errors=errors or {}, amendment=amendment, fields=FIELDS,
                           labels=AMENDABLE,
                           form_key=f"amendment-{amendment.id if amendment else model.id}"), status


@bp.get("/models/<int:model_id>/amend")
@login_required
def new(model_id: int):
    """Show the amendment form, filled with the model's approved values."""
    with intake().sessions() as db:
        try:
            model = amendments.start(db, current_user(), model_id)
        except AmendmentInProgress:
            flash(_("This model already has an amendment in progress. Finish or withdraw it first."))
            return redirect(url_for("submissions.show", submission_id=model_id))
        return _form(model, amendments.approved_values(model))


@bp.post("/models/<int:model_id>/amend")
@login_required
def create(model_id: int):
    """Save a new amendment as a draft, or send it for review."""
    return _save(model_id=model_id)


@bp.get("/amendments/<int:amendment_id>/edit")
@login_required
def edit(amendment_id: int):
    """Show a draft or returned amendment for changes."""
    with intake().sessions() as db:
        amendment = services.own_submission(db, current_user(), amendment_id, "amendment")
        check_editable(Status(amendment.status))
        values = {name: getattr(amendment, name) for name in AmendmentSchema().fields}
        return _form(amendment.model, values, amendment=amendment)


@bp.post("/amendments/<int:amendment_id>")
@login_required
def update(amendment_id: int):
    """Save changes to a draft or returned amendment, or send it for review."""
    return _save(amendment_id=amendment_id)


def _save(model_id: int | None = None, amendment_id: int | None = None):
    values = request.form.to_dict()
    submitting = values.get("action") == "submit"
    try:
        cmd = amendments.SaveAmendment(current_user(), load_amendment(values), model_id=model_id,
                                       amendment_id=amendment_id, and_submit=submitting)
        with intake().uow() as uow:
            amendment = amendments.save_amendment(cmd, uow)
    except InvalidInput as invalid:
        return _again(values, invalid.errors, model_id, amendment_id)
    except NothingChanged:
        return _again(values, {"_schema": [
            _("Change at least the name, the field or the targets; nothing differs from the "
              "approved model.")]}, model_id, amendment_id)
    except AmendmentInProgress:
        return _again(values, {"_schema": [
            _("This model already has an amendment in progress. Finish or withdraw it first.")]},
            model_id, amendment_id)
    flash(_("Amendment submitted for review.") if submitting else _("Draft saved."))
    return redirect(url_for("submissions.show", submission_id=amendment.id, saved=1))


def _again(values: dict, errors: dict, model_id: int | None, amendment_id: int | None):
    """The same form again, with everything typed and what to fix."""
    with intake().sessions() as db:
        if amendment_id is not None:
            amendment = services.own_submission(db, current_user(), amendment_id, "amendment")
            return _form(amendment.model, values, errors, amendment, status=422)
        model = services.own_submission(db, current_user(), model_id, "registration")
        return _form(model, values, errors, status=422)
