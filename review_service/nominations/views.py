"""The nominations' pages: the district's list, one nomination with its history and its steps,
an administrator's eligibility flag, and the dossier with its progress and downloads."""

from __future__ import annotations

import logging
from io import BytesIO

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from redis.exceptions import RedisError

from review_service.nominations import domain, services
from review_service.nominations.domain import Action, Refusal, Refused
from review_service.web import review
from shared.catalog import FIELDS, INSPECTION_OUTCOMES, NOMINATION_STATUSES, SUBJECT_TYPES
from shared.errors import InvalidInput, NotFound, StaleDecision
from shared.web.auth import current_user, login_required
from shared.web.formatting import vn_number

log = logging.getLogger(__name__)
bp = Blueprint("nominations", __name__)

STATUS_CLASSES = {"verified": "approved", "submitted": "approved", "decided": "approved",
                  "dropped": "rejected", "proposed": "", "awaiting_verification": ""}
LEVELS = {"commune": _l("Commune level"), "district": _l("District level"),
          "province": _l("Province level"), "central": _l("Central level")}
COMMENDATION_TYPES = {"thematic": _l("Thematic (for the movement)"), "regular": _l("Regular")}
HISTORY = {
    Action.PROPOSE: _l("Proposed: the committee chose the model as an exemplar"),
    Action.REQUEST_INSPECTION: _l("Sent for inspection on site"),
    Action.VERIFY: _l("The inspection verified the model"),
    Action.RETURN: _l("Returned by the inspection to the committee"),
    Action.NOTE_INSPECTION: _l("An inspection outcome was noted"),
    Action.EDIT: _l("Details edited"),
    Action.SUBMIT: _l("Submitted for decision"),
    Action.DECIDE: _l("Decision recorded"),
    Action.DROP: _l("Dropped"),
    Action.FLAG: _l("Subject flagged ineligible"),
    Action.CLEAR: _l("Ineligibility flag cleared"),
}
REFUSALS = {
    Refusal.FINAL: _l("This nomination is already decided or dropped; it can no longer change."),
    Refusal.NOT_PROPOSED: _l("Only a proposed nomination can be sent for inspection."),
    Refusal.NOT_PREPARED: _l("It has been submitted for decision: its details stay as submitted."),
    Refusal.NOT_VERIFIED: _l("It cannot be submitted yet: the inspection has not verified the model."),
    Refusal.RETURNED: _l("It cannot be submitted: the inspection did not verify the model. Answer the "
                         "findings, then send it for inspection again."),
    Refusal.ALREADY_SUBMITTED: _l("It has already been submitted for decision."),
    Refusal.NOT_SUBMITTED: _l("A decision is recorded only for a nomination submitted for decision."),
    Refusal.ALREADY_FLAGGED: _l("The subject is already flagged ineligible."),
    Refusal.NOT_FLAGGED: _l("The subject is not flagged ineligible."),
}
FIELD_MESSAGES = {
    ("award_form", "choice"): _l("Choose one of the award forms."),
    ("level", "choice"): _l("Choose a level."),
    ("commendation_type", "choice"): _l("Choose a commendation type."),
    ("reasons", "length"): _l("The reasons can be at most %(max)s characters."),
    ("achievements", "length"): _l("The achievements can be at most %(max)s characters."),
    ("decision_number", "required"): _l("Give the decision number (at most 80 characters)."),
    ("decision_date", "required"): _l("Give the decision date as dd/mm/yyyy, for example 05/12/2026."),
    ("decision_date", "future"): _l("The decision date cannot be in the future."),
    ("signer", "required"): _l("Give the name of who signed the decision (at most 200 characters)."),
    ("reason", "required"): _l("Say why the nomination is dropped."),
    ("reason", "length"): _l("The reason can be at most %(max)s characters."),
    ("flag_reason", "required"): _l("Say why the subject is ineligible."),
    ("flag_reason", "length"): _l("The reason can be at most %(max)s characters."),
    ("nominations", "choose"): _l("Choose at least one nomination, and at most 200."),
    ("nominations", "one_district"): _l("Choose nominations of one district only."),
    ("nominations", "dropped"): _l("A dropped nomination cannot go in a dossier."),
    ("nominations", "unverified"): _l("Only nominations their inspection verified can go in a dossier."),
}
STALE = _l("Someone else changed this nomination first. Check it again below, then retry.")
DOSSIER_STATUSES = {"queued": _l("Waiting to start"), "running": _l("Making the documents"),
                    "done": _l("Ready"), "failed": _l("Failed")}
DOSSIER_CLASSES = {"queued": "", "running": "", "done": "approved", "failed": "rejected"}
DOSSIER_ERRORS = {
    "not_started": _l("The dossier could not be started. Please ask for it again in a few minutes."),
    "broke_off": _l("Making the dossier broke off on our side; please ask for it again."),
    "no_pdf_converter": _l("The dossier's PDF cannot be made yet: LibreOffice is not installed where "
                           "documents are made. Please tell the administrator."),
}
FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ho-so"),
    "pdf": ("application/pdf", "ho-so"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "danh-sach"),
}


def forms():
    return current_app.extensions["award_forms"]


def enqueue(dossier_id: int) -> None:
    current_app.extensions["dossier_enqueue"](dossier_id)


def refusal_message(refused: Refused) -> str:
    """Why the step was refused, in the reader's language."""
    if refused.code == Refusal.INELIGIBLE:
        return _("It cannot be submitted while its subject is flagged ineligible: %(reason)s",
                 reason=refused.detail)
    return str(REFUSALS[refused.code])


def field_messages(errors: dict) -> dict[str, list[str]]:
    """The handlers' codes for each field, as sentences in the reader's language."""
    described = {}
    for name, codes in errors.items():
        if not isinstance(codes, list):  # a schema's own messages, already worded
            described[name] = codes
            continue
        described[name] = [
            str(FIELD_MESSAGES[(name, code)]) % {"max": vn_number(domain.TEXT_MAX)}
            if (name, code) in FIELD_MESSAGES else str(code) for code in codes]
    return described


def _labels() -> dict:
    return {"statuses": NOMINATION_STATUSES, "status_classes": STATUS_CLASSES, "levels": LEVELS,
            "commendation_types": COMMENDATION_TYPES, "outcomes": INSPECTION_OUTCOMES,
            "fields": FIELDS, "subject_types": SUBJECT_TYPES,
            "form_names": {form.code: form.name for form in forms()}, "award_forms": forms(),
            "dossier_statuses": DOSSIER_STATUSES, "dossier_classes": DOSSIER_CLASSES,
            "dossier_rules": review().config.dossier_rules}


# ---- the list ------------------------------------------------------------------------------


def _index_page(message: str | None = None, status: int = 200, chosen: set[int] | None = None):
    user = current_user()
    wanted = request.args.get("status", "")
    with review().sessions() as db:
        found = services.nominations(db, user, wanted)
        dossiers = services.recent_dossiers(db, user)
        return render_template(
            "nominations/index.html", nominations=found, dossiers=dossiers, wanted=wanted,
            may_act=domain.is_actor(user), message=message,
            chosen=chosen if chosen is not None else {
                n.id for n in found if n.status in ("verified", "submitted", "decided")},
            **_labels()), status


@bp.get("/nominations")
@login_required
def index():
    """List the district's award nominations; choose some to make their dossier."""
    return _index_page()


# ---- one nomination ------------------------------------------------------------------------


def _step(entry) -> dict:
    return {"at": entry.at, "label": str(HISTORY.get(entry.action, entry.action)),
            "actor": entry.actor_name, "comment": entry.comment}


def _page(nomination_id: int, message: str | None = None, errors: dict | None = None,
          values: dict | None = None, status: int = 200):
    user = current_user()
    with review().sessions() as db:
        nomination = services.get(db, user, nomination_id)
        flag = services.ineligibility(db, nomination)
        may_act = domain.may_act(user, nomination.district_code)
        allowed = domain.allowed_actions(domain.Status(nomination.status), flag is not None) \
            if may_act else []
        return render_template(
            "nominations/show.html", nomination=nomination, flag=flag, allowed=allowed,
            history=[_step(e) for e in nomination.history], results=services.results_of(db, nomination),
            item=nomination.item, may_act=may_act, may_flag=domain.is_flagger(user), message=message,
            errors=errors or {}, values=values or {}, **_labels()), status


@bp.get("/nominations/<int:nomination_id>")
@login_required
def show(nomination_id: int):
    """Show a nomination: subject, models, status, history, and the steps the caller may take."""
    return _page(nomination_id)


def _version() -> int | None:
    text = request.form.get("version", "")
    return int(text) if text.isdigit() else None


def _run(nomination_id: int, handler, done_message, *, forms_needed: bool = False):
    """Run a step from a form; a refusal or a bad field re-shows the page with what was typed."""
    values = request.form.to_dict()
    try:
        with review().uow() as uow:
            if forms_needed:
                handler(uow, forms())
            else:
                handler(uow)
    except Refused as refused:
        return _page(nomination_id, refusal_message(refused), values=values, status=409)
    except InvalidInput as error:
        return _page(nomination_id, errors=field_messages(error.errors), values=values, status=422)
    except StaleDecision:
        return _page(nomination_id, str(STALE), status=409)
    flash(str(done_message))
    return redirect(url_for("nominations.show", nomination_id=nomination_id), 303)


@bp.post("/nominations/<int:nomination_id>/details")
@login_required
def edit(nomination_id: int):
    """Save the award form, level, commendation type, reasons and achievements (while prepared)."""
    form = request.form
    cmd = services.Edit(
        user=current_user(), nomination_id=nomination_id, award_form=form.get("award_form", ""),
        level=form.get("level", ""), commendation_type=form.get("commendation_type", ""),
        reasons=form.get("reasons", ""), achievements=form.get("achievements", ""),
        expected_version=_version())
    return _run(nomination_id, lambda uow, f: services.edit(cmd, uow, f), _l("The details were saved."),
                forms_needed=True)


@bp.post("/nominations/<int:nomination_id>/inspection")
@login_required
def request_inspection(nomination_id: int):
    """Send a proposed nomination for inspection on site."""
    cmd = services.RequestInspection(current_user(), nomination_id, _version())
    return _run(nomination_id, lambda uow: services.request_inspection(cmd, uow),
                _l("The nomination was sent for inspection."))


@bp.post("/nominations/<int:nomination_id>/submit")
@login_required
def submit(nomination_id: int):
    """Submit a verified nomination for decision."""
    cmd = services.Submit(current_user(), nomination_id, _version())
    return _run(nomination_id, lambda uow: services.submit(cmd, uow),
                _l("The nomination was submitted for decision."))


@bp.post("/nominations/<int:nomination_id>/decision")
@login_required
def decide(nomination_id: int):
    """Record the decision: its number, its date (dd/mm/yyyy) and who signed it."""
    form = request.form
    cmd = services.Decide(
        user=current_user(), nomination_id=nomination_id,
        decision_number=form.get("decision_number", ""),
        decision_date=domain.parse_vn_date(form.get("decision_date", "")),
        signer=form.get("signer", ""), expected_version=_version())
    return _run(nomination_id, lambda uow: services.decide(cmd, uow), _l("The decision was recorded."))


@bp.post("/nominations/<int:nomination_id>/drop")
@login_required
def drop(nomination_id: int):
    """Drop the nomination, saying why."""
    cmd = services.Drop(current_user(), nomination_id, request.form.get("reason", ""), _version())
    return _run(nomination_id, lambda uow: services.drop(cmd, uow), _l("The nomination was dropped."))


@bp.post("/nominations/<int:nomination_id>/ineligible")
@login_required
def flag(nomination_id: int):
    """Flag the nomination's subject as ineligible, with the reason (administrators)."""
    cmd = services.FlagIneligible(current_user(), nomination_id, request.form.get("flag_reason", ""))

    def flag_subject(uow):
        try:
            services.flag_ineligible(cmd, uow)
        except InvalidInput as error:
            raise InvalidInput({"flag_reason": error.errors["reason"]}) from error

    return _run(nomination_id, flag_subject, _l("The subject is flagged ineligible."))


@bp.post("/nominations/<int:nomination_id>/ineligible/clear")
@login_required
def clear_flag(nomination_id: int):
    """Clear the subject's ineligibility flag (administrators)."""
    cmd = services.ClearIneligible(current_user(), nomination_id)
    return _run(nomination_id, lambda uow: services.clear_ineligible(cmd, uow),
                _l("The ineligibility flag was cleared."))


# ---- the dossier ---------------------------------------------------------------------------


def start_dossier(ids: tuple[int, ...]):
    """Keep the request and queue the job (used by the page and the API)."""
    with review().uow() as uow:
        dossier = services.request_dossier(services.RequestDossier(current_user(), ids), uow)
    try:
        enqueue(dossier.id)
    except RedisError:
        log.exception("could not queue dossier %s", dossier.id)
        services.fail_dossier(review().uow(), dossier.id, "not_started")
    return dossier


@bp.post("/nominations/dossiers")
@login_required
def new_dossier():
    """Make the dossier of the chosen nominations: DOCX, PDF and the XLSX list."""
    ids = tuple(int(v) for v in request.form.getlist("nomination") if v.isdigit())
    back = request.form.get("from", "")
    try:
        dossier = start_dossier(ids)
    except InvalidInput as error:
        message = " ".join(field_messages(error.errors)["nominations"])
        if back.isdigit():
            return _page(int(back), message, status=422)
        return _index_page(message, 422, set(ids))
    return redirect(url_for("nominations.dossier", dossier_id=dossier.id), 303)


@bp.get("/nominations/dossiers/<int:dossier_id>")
@login_required
def dossier(dossier_id: int):
    """Show a dossier's progress (htmx polls it every second), then its downloads."""
    with review().sessions() as db:
        found = services.get_dossier(db, current_user(), dossier_id)
        chosen = [services.get(db, current_user(), n) for n in found.nomination_ids]
        context = {"dossier": found, "nominations": chosen,
                   "error": DOSSIER_ERRORS.get(found.error), **_labels()}
        if request.htmx and request.htmx.target == "dossier-progress":
            return render_template("nominations/_progress.html", **context)
        return render_template("nominations/dossier.html", **context)


@bp.get("/nominations/dossiers/<int:dossier_id>/dossier.<kind>")
@login_required
def download(dossier_id: int, kind: str):
    """Download the dossier as DOCX (to edit), PDF, or the XLSX list of nominees."""
    return dossier_file(dossier_id, kind)


def dossier_file(dossier_id: int, kind: str):
    """A finished dossier's file, for someone allowed to see every nomination in it."""
    if kind not in FORMATS:
        raise NotFound()
    with review().sessions() as db:
        found = services.get_dossier(db, current_user(), dossier_id)
        data = getattr(found, kind)
    if found.status != "done" or data is None:
        raise NotFound()
    mimetype, stem = FORMATS[kind]
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, max_age=0,
                     download_name=f"{stem}-khen-thuong-{dossier_id}.{kind}")
