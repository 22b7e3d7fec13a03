"""The JSON API: the same handlers and validation as the pages, authenticated by bearer token."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from marshmallow import fields

from intake_service import services
from intake_service.schemas import RegistrationSchema, SubmissionSchema, load_registration
from intake_service.views import intake
from shared.errors import InvalidInput
from shared.web.api import api_blueprint
from shared.web.auth import current_user
from shared.web.openapi import Operation, listing

bp = api_blueprint("api", __name__)


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput):
    return {"error": _("Some fields are not valid."), "fields": error.errors}, 422


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput({"_schema": [_("Send the registration as a JSON object.")]})
    return body


@bp.post("/submissions")
def create_submission():
    """Create a registration; with ``"submit": true`` it is sent for review at once."""
    body = _json_body()
    cmd = services.SaveDraft(current_user(), load_registration(body),
                             and_submit=body.get("submit") is True,
                             correlation_id=request.headers.get("X-Correlation-Id", ""))
    with intake().uow() as uow:
        submission = services.save_draft(cmd, uow)
        return SubmissionSchema().dump(submission), 201


@bp.put("/submissions/<int:submission_id>")
def update_submission(submission_id: int):
    """Change a draft or returned registration."""
    data = load_registration(_json_body())
    with intake().uow() as uow:
        services.save_draft(services.SaveDraft(current_user(), data, submission_id), uow)
    return _show(submission_id)


@bp.post("/submissions/<int:submission_id>/submit")
def submit_submission(submission_id: int):
    """Send a draft or fixed returned registration for review."""
    with intake().uow() as uow:
        services.submit(services.Submit(current_user(), submission_id), uow)
    return _show(submission_id)


@bp.post("/submissions/<int:submission_id>/withdraw")
def withdraw_submission(submission_id: int):
    """Withdraw before a final decision."""
    with intake().uow() as uow:
        services.withdraw(services.Withdraw(current_user(), submission_id), uow)
    return _show(submission_id)


@bp.get("/submissions")
def list_submissions():
    """The caller's submissions (a reviewer's: those of their area)."""
    with intake().sessions() as db:
        rows = services.my_submissions(db, current_user())
        return {"items": SubmissionSchema(exclude=("history",), many=True).dump(rows)}


@bp.get("/submissions/<int:submission_id>")
def show_submission(submission_id: int):
    """A submission's status and its history."""
    return _show(submission_id)


def _show(submission_id: int) -> dict:
    with intake().sessions() as db:
        return SubmissionSchema().dump(services.get_visible(db, current_user(), submission_id))


class NewSubmissionSchema(RegistrationSchema):
    """The body of ``POST /api/submissions`` as documented: a registration and whether to submit it."""

    submit = fields.Boolean(load_default=False)


# What the OpenAPI document says about each view beyond its URL and docstring.
OPERATIONS = {
    create_submission: Operation(request=NewSubmissionSchema, response=SubmissionSchema, status=201,
                                 errors=(403, 409, 422)),
    update_submission: Operation(request=RegistrationSchema, response=SubmissionSchema,
                                 errors=(403, 404, 409, 422)),
    submit_submission: Operation(response=SubmissionSchema, errors=(403, 404, 409)),
    withdraw_submission: Operation(response=SubmissionSchema, errors=(403, 404, 409)),
    list_submissions: Operation(response=listing(SubmissionSchema(exclude=("history",)))),
    show_submission: Operation(response=SubmissionSchema, errors=(404,)),
}
