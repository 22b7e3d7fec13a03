"""The committee's JSON API: sessions, votes, opening and closing, through the same handlers."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from review_service.committee import services
from review_service.committee.domain import Choice
from review_service.committee.views import MESSAGES
from review_service.web import review
from shared.errors import InvalidInput
from shared.web.api import api_blueprint, load_json
from shared.web.auth import current_user
from shared.web.openapi import Operation, listing

bp = api_blueprint("committee_api", __name__)


class VoteSchema(Schema):
    member_id = fields.Integer()
    member_name = fields.String()
    choice = fields.String()
    comment = fields.String(allow_none=True)
    at = fields.DateTime()


class EntrySchema(Schema):
    id = fields.Integer()
    item_id = fields.Integer()
    title = fields.Function(lambda entry: entry.item.title)
    decision_type = fields.String()
    outcome = fields.String(allow_none=True)
    tallies = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True)
    exemplar = fields.Boolean()
    votes = fields.List(fields.Nested(VoteSchema))


class SessionSchema(Schema):
    id = fields.Integer()
    district_code = fields.String()
    title = fields.String()
    meeting_date = fields.Date()
    member_count = fields.Integer()
    status = fields.String()
    opened_by = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    agenda = fields.List(fields.Nested(EntrySchema))


class NewSessionSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=5, max=300))
    meeting_date = fields.Date(required=True)
    member_count = fields.Integer(required=True, strict=True, validate=validate.Range(1, 99))


class CastVoteSchema(Schema):
    choice = fields.String(required=True, validate=validate.OneOf([c.value for c in Choice]))
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput):
    """The handlers' own checks name a field and a code; say what to fix instead."""
    described = {name: [str(MESSAGES[name])] if messages in (["length"], ["range"], ["empty"])
                 else messages for name, messages in error.errors.items()}
    return {"error": _("Some fields are not valid."), "fields": described}, 422


@bp.get("/committee/sessions")
def list_sessions():
    """The committee sessions of the caller's district."""
    with review().sessions() as db:
        return {"items": SessionSchema(exclude=("agenda",), many=True).dump(
            services.sessions(db, current_user()))}


@bp.post("/committee/sessions")
def create_session():
    """Set up a session (chair); the district's items waiting at the committee stage are its agenda."""
    body = load_json(NewSessionSchema())
    with review().uow() as uow:
        created = services.create_session(services.CreateSession(user=current_user(), **body), uow)
        return SessionSchema().dump(created), 201


@bp.get("/committee/sessions/<int:session_id>")
def show_session(session_id: int):
    """One session with its agenda, votes and results."""
    with review().sessions() as db:
        return SessionSchema().dump(services.get_session(db, current_user(), session_id))


@bp.post("/committee/sessions/<int:session_id>/open")
def open_session(session_id: int):
    """Open the vote (chair)."""
    with review().uow() as uow:
        return SessionSchema().dump(
            services.open_voting(services.OpenVoting(current_user(), session_id), uow))


@bp.post("/committee/sessions/<int:session_id>/entries/<int:entry_id>/vote")
def vote(session_id: int, entry_id: int):
    """Vote approve, reject or abstain on an entry; voting again changes the vote."""
    body = load_json(CastVoteSchema())
    with review().uow() as uow:
        cast = services.cast_vote(services.CastVote(
            current_user(), session_id, entry_id, Choice(body["choice"]), body["comment"]), uow)
        return VoteSchema().dump(cast)


@bp.post("/committee/sessions/<int:session_id>/close")
def close_session(session_id: int):
    """Close the vote (chair): every entry is tallied and its item decided or left open."""
    with review().uow() as uow:
        closed = services.close_voting(services.CloseVoting(current_user(), session_id), uow,
                                       current_app.extensions["committee_rules"])
        return SessionSchema().dump(closed)


SESSION_ERRORS = (403, 404, 409)
OPERATIONS = {
    list_sessions: Operation(response=listing(SessionSchema(exclude=("agenda",))), errors=(403,)),
    create_session: Operation(request=NewSessionSchema, response=SessionSchema, status=201,
                              errors=(403, 422)),
    show_session: Operation(response=SessionSchema, errors=(403, 404)),
    open_session: Operation(response=SessionSchema, errors=SESSION_ERRORS),
    vote: Operation(request=CastVoteSchema, response=VoteSchema, errors=(*SESSION_ERRORS, 422)),
    close_session: Operation(response=SessionSchema, errors=SESSION_ERRORS),
}
