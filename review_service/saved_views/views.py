"""Reviewers' saved queue views on pages: keep the current filter under a name, delete one's own."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from review_service.saved_views import services as saved_views
from review_service.web import review
from shared.errors import InvalidInput
from shared.web.auth import current_user, login_required

bp = Blueprint("saved_views", __name__)


@bp.post("/views")
@login_required
def save():
    """Save the queue's current filter under a name, for oneself or for the team."""
    query = request.form.get("query", "")
    cmd = saved_views.SaveView(user=current_user(), name=request.form.get("name", ""),
                               query=query, shared=request.form.get("shared") == "1")
    try:
        with review().uow() as uow:
            saved_views.save(cmd, uow)
    except InvalidInput:
        flash(_("Give the view a name of up to 100 characters."))
    else:
        flash(_("The view was saved."))
    return redirect(f"{url_for('queue.index')}?{saved_views.clean_query(query)}")


@bp.post("/views/<int:view_id>/delete")
@login_required
def delete(view_id: int):
    """Delete one of one's own saved views."""
    with review().uow() as uow:
        saved_views.delete(saved_views.DeleteView(user=current_user(), view_id=view_id), uow)
    flash(_("The view was deleted."))
    return redirect(url_for("queue.index"))
