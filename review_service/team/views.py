"""Reviewers' team actions on pages: claim, release, give to a colleague; approve a selection."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from review_service.queue import services
from review_service.queue.views import _item_page
from review_service.team import services as assignment
from review_service.web import review
from shared.errors import InvalidInput, InvalidTransition, NotFound, StaleDecision
from shared.web.auth import current_user, login_required
from shared.web.redirects import safe_target

bp = Blueprint("assignment", __name__)

DONE = {"claim": _l("You now hold this item."), "release": _l("The item is back in the team's pool."),
        "assign": _l("The item was given to your colleague.")}
REFUSED = {
    "stale": _l("Someone changed it after you opened the queue."),
    "not_permitted": _l("Your role or area does not allow you to approve it."),
    "committee_vote": _l("It is at the committee stage: only the committee's vote decides it."),
    "not_found": _l("It was not found, or you may not see it."),
    "not_open": _l("It no longer waits for a decision."),
}


def _version() -> int:
    text = request.form.get("version", "")
    return int(text) if text.isdigit() else 0


def _back(item_id: int):
    target = request.form.get("next", "")
    if safe_target(target, ()):  # a path of this site only, however it is spelled
        return redirect(target)
    return redirect(url_for("queue.show", item_id=item_id))


def _act(action: str, item_id: int, cmd, handler):
    try:
        with review().uow() as uow:
            handler(cmd, uow)
    except StaleDecision:
        return _item_page(item_id, status=409, notice=_(
            "Someone else changed this item first. Its current state is shown below."))
    except InvalidTransition:
        return _item_page(item_id, status=409, notice=_(
            "A colleague already holds this item, or it no longer waits for a decision."))
    except InvalidInput:
        return _item_page(item_id, status=422, notice=_("Choose a colleague from the list."))
    flash(str(DONE[action]))
    return _back(item_id)


@bp.post("/items/<int:item_id>/claim")
@login_required
def claim(item_id: int):
    """Take an item to work on."""
    cmd = assignment.Claim(user=current_user(), item_id=item_id, expected_version=_version())
    return _act("claim", item_id, cmd, assignment.claim)


@bp.post("/items/<int:item_id>/release")
@login_required
def release(item_id: int):
    """Put a held item back in the team's pool."""
    cmd = assignment.Release(user=current_user(), item_id=item_id, expected_version=_version())
    return _act("release", item_id, cmd, assignment.release)


@bp.post("/items/<int:item_id>/assign")
@login_required
def assign(item_id: int):
    """Give an item to a colleague of the same role and area."""
    colleague = request.form.get("assignee_id", "")
    cmd = assignment.Assign(user=current_user(), item_id=item_id, expected_version=_version(),
                            assignee_id=int(colleague) if colleague.isdigit() else 0)
    return _act("assign", item_id, cmd, assignment.assign)


def selection(values: list[str]) -> tuple[tuple[int, int], ...]:
    """``"id:version"`` pairs from the queue's checkboxes; anything else is ignored."""
    pairs = (value.split(":", 1) for value in values if value.count(":") == 1)
    return tuple((int(i), int(v)) for i, v in pairs if i.isdigit() and v.isdigit())[:200]


@bp.post("/queue/approve")
@login_required
def bulk_approve():
    """Approve the selected items, each on its own; say which were refused and why."""
    chosen = selection(request.form.getlist("selected"))
    if not chosen:
        flash(_("Select at least one item to approve."))
        return redirect(url_for("queue.index"))
    cmd = assignment.BulkApprove(user=current_user(), selection=chosen)
    result = assignment.bulk_approve(cmd, review().uow)
    with review().sessions() as db:
        refused = [(_title(db, item_id), REFUSED[why]) for item_id, why in result.refused]
        return render_template("team/bulk_result.html", approved=len(result.approved),
                               refused=refused)


def _title(db, item_id: int) -> tuple[int, str | None]:
    try:
        return item_id, services.get_visible(db, current_user(), item_id).title
    except NotFound:
        return item_id, None
