"""Reviewers' pages: the queue of their stage and area, an item, and the decision on it."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from review_service.chains import services as chains
from review_service.mirrors import directory
from review_service.queue import domain, services
from review_service.queue.api import BY_VOTE
from review_service.queue.domain import Decision
from review_service.saved_views import services as saved_views
from review_service.team import services as assignment
from review_service.web import review
from shared import clock
from shared.catalog import AMENDABLE, FIELDS, INDICATORS, KINDS, REGISTRATION_DETAILS, STAGES, SUBJECT_TYPES
from shared.errors import InvalidInput, NotPermitted, StaleDecision
from shared.identity import is_admin, reads_commune
from shared.web.auth import current_user, login_required

bp = Blueprint("queue", __name__)

def _my_stages() -> list[str]:
    user = current_user()
    with review().sessions() as db:
        chain = chains.in_force(db, review().chain_config).config.stages
    return [stage for stage in chain if user.works_stage(stage)]


@bp.get("/queue")
@login_required
def index():
    """List the open items of one stage that this reviewer may decide."""
    stages = _my_stages()
    if not stages:
        raise NotPermitted()
    wanted = services.QueueFilter.from_args(
        request.args, request.args.get("stage") if request.args.get("stage") in stages else stages[0])
    with review().sessions() as db:
        assignment.seen(db, current_user())
        items = services.queue(db, current_user(), wanted)
        context = {"items": items, "wanted": wanted, "stages": stages, "stage_names": STAGES,
                   "fields": FIELDS, "communes": _communes(db), "subject_types": SUBJECT_TYPES,
                   "kinds": KINDS, "now": clock.now(), **_team(db)}
        template = "queue/_items.html" if request.htmx and request.htmx.target == "items" \
            else "queue/index.html"
        return render_template(template, **context)


def _team(db) -> dict:
    """What the queue offers for teamwork: colleagues, saved views, the filter as a query."""
    args = {key: value for key, value in request.args.items()
            if key in saved_views.FILTER_KEYS and value}
    return {"colleagues": assignment.colleagues(db, current_user()),
            "views": saved_views.visible(db, current_user()), "query_args": args,
            "query": saved_views.clean_query(request.query_string.decode()),
            "here": request.full_path}


def _communes(db) -> dict[str, str]:
    """The communes a reviewer may filter by: their own, their district's, or every one."""
    user = current_user()
    if is_admin(user):
        return directory.communes(db)
    if reads_commune(user):
        return {code: name for code, name in directory.communes(db).items() if code == user.scope}
    return directory.communes(db, user.scope)


def _item_page(item_id: int, errors: dict | None = None, values: dict | None = None,
               status: int = 200, notice: str | None = None):
    with review().sessions() as db:
        item = services.get_visible(db, current_user(), item_id)
        history = [_step(entry) for entry in item.audit]
        return render_template(
            "queue/item.html", item=item, history=history, errors=errors or {},
            values=values or {}, notice=notice, fields=FIELDS, subject_types=SUBJECT_TYPES,
            stage_names=STAGES, can_decide=services.can_decide(current_user(), item),
            registration_details=REGISTRATION_DETAILS, kinds=KINDS, amendable=AMENDABLE,
            indicators=INDICATORS, figures=_figures(item.report),
            can_claim=assignment.may_claim(current_user(), item),
            can_release=assignment.may_release(current_user(), item),
            colleagues=assignment.colleagues(db, current_user()),
            resubmitted=_resubmitted(item),
            labels={"title": _("Name of the model"), "field": _("Field"),
                    "subject_type": _("Subject type"), **REGISTRATION_DETAILS},
        ), status


def _resubmitted(item) -> list[dict]:
    """What the unit changed since the item was returned (empty for a first submission)."""
    if not item.previous:
        return []
    now = domain.snapshot(item.title, item.field, item.subject_type, item.details)
    return domain.changes_since(item.previous, now)


def _figures(report: dict | None) -> dict:
    """A report's figures by code, as exact decimals, in the catalogue's order."""
    given = {f["code"]: Decimal(f["value"]) for f in (report or {}).get("indicators", [])}
    return {code: given[code] for code in INDICATORS if code in given}


def _step(entry) -> dict:
    return {"at": entry.at, "label": describe(entry), "actor": entry.actor_name,
            "comment": None if entry.action in HOLDING else entry.comment}


HOLDING = ("claim", "release", "assign")  # their audit comment names the holder, not a remark


VOTES = {"vote_approve": _l("Committee member voted to approve"),
         "vote_reject": _l("Committee member voted to reject"),
         "vote_abstain": _l("Committee member abstained")}


def describe(entry) -> str:
    """One line of the item's audit timeline, in the reader's language."""
    stage = STAGES.get(entry.from_stage or "", entry.from_stage or "")
    to_stage = STAGES.get(entry.to_stage or "", entry.to_stage or "")
    if entry.action == "opened":
        return _("Received at %(stage)s", stage=to_stage)
    if entry.action == "claim":
        return _("Claimed")
    if entry.action == "release":
        return _("Released to the team")
    if entry.action == "assign":
        return _("Given to %(name)s", name=entry.comment or "")
    if entry.action == "withdrawn":
        return _("Withdrawn by the unit")
    if entry.action.startswith("vote_"):
        return str(VOTES.get(entry.action, entry.action))
    if entry.action == "reminder":
        return _("Overdue at %(stage)s: its reviewers were reminded", stage=stage)
    if entry.action == "escalation":
        return _("Still overdue at %(stage)s: brought to the level above", stage=stage)
    if entry.action == "approve" and entry.to_status == "open":
        return _("Approved at %(stage)s, sent to %(next)s", stage=stage, next=to_stage)
    if entry.action == "approve":
        return _("Finally approved at %(stage)s", stage=stage)
    if entry.action == "return":
        return _("Returned to the unit at %(stage)s", stage=stage)
    return _("Rejected at %(stage)s", stage=stage)


@bp.get("/items/<int:item_id>")
@login_required
def show(item_id: int):
    """Show a submission as submitted, its history and the decision form."""
    return _item_page(item_id)


@bp.post("/items/<int:item_id>/decision")
@login_required
def decide(item_id: int):
    """Record a decision; a return needs a comment, a rejection a reason."""
    values = request.form.to_dict()
    try:
        cmd = services.Decide(
            user=current_user(), item_id=item_id,
            decision=Decision(values.get("decision", "")),
            comment=values.get("comment", "").strip(),
            expected_version=int(values.get("version", "0")),
        )
    except ValueError:
        return _item_page(item_id, {"decision": [_("Choose approve, return or reject.")]},
                          values, 422)
    try:
        with review().uow() as uow:
            services.decide(cmd, uow)
    except InvalidInput:
        message = _("Write a comment telling the unit what to fix.") \
            if cmd.decision == Decision.RETURN else _("Write the reason for the rejection.")
        return _item_page(item_id, {"comment": [message]}, values, 422)
    except StaleDecision:
        return _item_page(item_id, status=409, notice=_(
            "Someone else has already decided this item. Its current state is shown below."))
    except services.DecidedByVote:
        return _item_page(item_id, status=403, notice=str(BY_VOTE))
    flash(_("Decision recorded."))
    return redirect(url_for("queue.index"))
