"""The steering committee's pages: its sessions, one session's agenda and votes, the minutes."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from review_service.committee import minutes, services
from review_service.committee.domain import Choice, DecisionType, is_chair
from review_service.web import review
from shared.catalog import FIELDS
from shared.errors import InvalidInput
from shared.web.auth import current_user, login_required

bp = Blueprint("committee", __name__)

MESSAGES = {
    "title": _l("The title must be between 5 and 300 characters."),
    "member_count": _l("Give the number of committee members, from 1 to 99."),
    "meeting_date": _l("Give the meeting date."),
    "agenda": _l("No items are waiting at the committee stage of your district."),
}
CHOICES = {"approve": _l("Approve"), "reject": _l("Reject"), "abstain": _l("Abstain")}
DECISION_TYPES = {"recognise": _l("Recognise the model"),
                  "exemplar": _l("Recognise as an exemplar")}
OUTCOMES = {"approved": _l("Passed"), "rejected": _l("Not passed"),
            "no_quorum": _l("No quorum: stays for the next session"),
            "skipped": _l("Not considered: already decided")}
STATUSES = {"draft": _l("Preparing"), "open": _l("Voting open"), "closed": _l("Closed")}


def rules():
    return current_app.extensions["committee_rules"]


def _labels() -> dict:
    return {"choices": CHOICES, "decision_types": DECISION_TYPES, "outcomes": OUTCOMES,
            "statuses": STATUSES, "fields": FIELDS}


def _index_page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    user = current_user()
    with review().sessions() as db:
        found = services.sessions(db, user)
        waiting = services.waiting_items(db, user.scope) if is_chair(user) else []
        return render_template("committee/index.html", sessions=found, waiting=waiting,
                               is_chair=is_chair(user), errors=errors or {},
                               values=values or {}, **_labels()), status


@bp.get("/committee")
@login_required
def index():
    """List the committee's sessions; the chair sets up a new one here."""
    return _index_page()


@bp.post("/committee")
@login_required
def create():
    """Set up a session with the items waiting at the committee stage as its agenda."""
    values = request.form.to_dict()
    try:
        cmd = services.CreateSession(
            user=current_user(), title=values.get("title", ""),
            meeting_date=date.fromisoformat(values.get("meeting_date", "")),
            member_count=int(values.get("member_count", "0") or 0))
    except ValueError:
        return _index_page({"meeting_date": [MESSAGES["meeting_date"]]}, values, 422)
    try:
        with review().uow() as uow:
            created = services.create_session(cmd, uow)
            session_id = created.id
    except InvalidInput as error:
        return _index_page({name: [MESSAGES[name]] for name in error.errors}, values, 422)
    flash(_("Session created. Check the agenda, then open the vote."))
    return redirect(url_for("committee.show", session_id=session_id))


@bp.get("/committee/<int:session_id>")
@login_required
def show(session_id: int):
    """Show a session's agenda, the caller's votes and, once closed, the results."""
    user = current_user()
    with review().sessions() as db:
        found = services.get_session(db, user, session_id)
        mine = {e.id: next((v for v in e.votes if v.member_id == user.id), None)
                for e in found.agenda}
        return render_template("committee/session.html", session=found, mine=mine,
                               attendance=services.voters(found),
                               is_chair=is_chair(user), **_labels())


@bp.post("/committee/<int:session_id>/entries/<int:entry_id>/type")
@login_required
def set_type(session_id: int, entry_id: int):
    """Propose an agenda entry for recognition or as an exemplar, before the vote opens."""
    try:
        decision_type = DecisionType(request.form.get("decision_type", ""))
    except ValueError:
        abort(400)
    with review().uow() as uow:
        services.set_decision_type(services.SetDecisionType(
            current_user(), session_id, entry_id, decision_type), uow)
    return redirect(url_for("committee.show", session_id=session_id))


@bp.post("/committee/<int:session_id>/open")
@login_required
def open_vote(session_id: int):
    """Open the vote."""
    with review().uow() as uow:
        services.open_voting(services.OpenVoting(current_user(), session_id), uow)
    flash(_("Voting is open."))
    return redirect(url_for("committee.show", session_id=session_id))


@bp.post("/committee/<int:session_id>/entries/<int:entry_id>/vote")
@login_required
def vote(session_id: int, entry_id: int):
    """Record or change the caller's vote on one agenda entry."""
    try:
        choice = Choice(request.form.get("choice", ""))
    except ValueError:
        abort(400)
    with review().uow() as uow:
        services.cast_vote(services.CastVote(current_user(), session_id, entry_id, choice,
                                             request.form.get("comment", "")[:2000]), uow)
    flash(_("Your vote was recorded."))
    return redirect(url_for("committee.show", session_id=session_id, _anchor=f"entry-{entry_id}"))


@bp.post("/committee/<int:session_id>/close")
@login_required
def close_vote(session_id: int):
    """Close the vote: tally every entry and decide its item."""
    with review().uow() as uow:
        services.close_voting(services.CloseVoting(current_user(), session_id), uow, rules())
    flash(_("Voting is closed and the results are recorded."))
    return redirect(url_for("committee.show", session_id=session_id))


@bp.get("/committee/<int:session_id>/minutes.docx")
@login_required
def minutes_docx(session_id: int):
    """Download the session's minutes (biên bản) as a Word document."""
    with review().sessions() as db:
        found = services.get_session(db, current_user(), session_id)
        document = minutes.build(found, services.voters(found), review().config.issuing_bodies)
    return send_file(
        BytesIO(document), as_attachment=True,
        download_name=f"bien-ban-hop-ban-chi-dao-{session_id}.docx",
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
