"""Nominations' handlers: plain functions taking a command (or what happened) and a unit of work.

A committee decision that marks an exemplar proposes a nomination in the same transaction
(``on_exemplar_chosen``, the bootstrap's handler of the committee's ``ExemplarChosen``) and asks
the inspections for a check of the model on site (``InspectionRequested``); an inspection's
conclusion comes back as ``InspectionConcluded`` (``on_inspection_concluded``). Every change is
a line of the nomination's history and a ``NOMINATION_CHANGED`` event carrying its whole state,
so intake can show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from review_service.committee.domain import ExemplarChosen
from review_service.inspections.domain import InspectionConcluded
from review_service.nominations import domain
from review_service.nominations.domain import (
    Action,
    AwardForm,
    InspectionRequested,
    Outcome,
    Status,
)
from review_service.nominations.tables import Dossier, IneligibleSubject, Nomination, NominationEvent
from review_service.queue.tables import ReviewItem
from review_service.uow import UnitOfWork
from shared import clock, events
from shared.days import today_in_vietnam
from shared.errors import InvalidInput, NotFound, StaleDecision
from shared.identity import Identity, is_admin
from shared.text import search_key

PRODUCER = "review"
DEFAULT_REASON = "Mô hình “{title}” được Ban Chỉ đạo phong trào thi đua “Dân vận khéo” công nhận " \
                 "và chọn làm điển hình."


# ---- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestInspection:
    user: Identity
    nomination_id: int
    expected_version: int | None = None


@dataclass(frozen=True)
class Edit:
    user: Identity
    nomination_id: int
    award_form: str
    level: str
    commendation_type: str
    reasons: str
    achievements: str
    expected_version: int | None = None


@dataclass(frozen=True)
class Submit:
    user: Identity
    nomination_id: int
    expected_version: int | None = None


@dataclass(frozen=True)
class Decide:
    user: Identity
    nomination_id: int
    decision_number: str
    decision_date: date | None
    signer: str
    expected_version: int | None = None


@dataclass(frozen=True)
class Drop:
    user: Identity
    nomination_id: int
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True)
class FlagIneligible:
    user: Identity
    nomination_id: int
    reason: str


@dataclass(frozen=True)
class ClearIneligible:
    user: Identity
    nomination_id: int


@dataclass(frozen=True)
class RequestDossier:
    user: Identity
    nomination_ids: tuple[int, ...]


# ---- from the committee and the inspections ------------------------------------------------


def registration_of(session: Session, item: ReviewItem) -> ReviewItem:
    """The registration's review item of the model an item is about (the item itself if it is one)."""
    if item.kind == "registration" or item.model_id is None:
        return item
    found = session.scalar(select(ReviewItem).where(ReviewItem.submission_id == item.model_id))
    return found or item


def model_id_of(item: ReviewItem) -> int:
    """A model is named by its registration's submission id."""
    if item.kind == "registration" or item.model_id is None:
        return item.submission_id
    return item.model_id


def on_exemplar_chosen(event: ExemplarChosen, uow: UnitOfWork) -> None:
    """The committee chose the item's model as an exemplar: announce it and propose a nomination
    (one per model while it is not decided or dropped), then ask for its inspection."""
    session = uow.session
    item = session.get(ReviewItem, event.item_id)
    session_id, actor = event.session_id, event.actor
    registration = registration_of(session, item)
    model_id = model_id_of(item)
    uow.emit(events.Event(
        type=events.EXEMPLAR_MARKED, producer=PRODUCER, aggregate_id=str(item.submission_id),
        aggregate_version=item.version,
        payload={"model_id": model_id, "submission_id": item.submission_id, "item_id": item.id,
                 "session_id": session_id, "actor": {"id": actor.id, "name": actor.name},
                 "marked_at": clock.now()}))
    existing = session.scalar(select(Nomination).where(
        Nomination.item_id == registration.id, Nomination.status.not_in(domain.FINAL)))
    if existing is not None:
        return
    form = _default_form(uow.config.award_forms)
    subject = domain.subject_of(registration.subject_type, registration.details,
                                registration.submitter_name)
    nomination = Nomination(
        item=registration, session_id=session_id, district_code=registration.district_code,
        commune_code=registration.commune_code, commune_name=registration.commune_name,
        subject_type=registration.subject_type, subject_name=subject,
        subject_key=search_key(subject)[:200],
        models=[{"model_id": model_id, "item_id": registration.id, "title": registration.title}],
        award_form=form.code, level=form.level, commendation_type="thematic",
        reasons=DEFAULT_REASON.format(title=registration.title), achievements="",
        status=Status.PROPOSED, returned=False, version=0, created_at=clock.now(), updated_at=clock.now())
    session.add(nomination)
    session.flush()
    _changed(uow, nomination, actor, Action.PROPOSE, None)
    _send_to_inspection(uow, nomination, actor)


def _default_form(forms: tuple[AwardForm, ...]) -> AwardForm:
    """The first district-level form (a giấy khen by default), else the first."""
    return next((form for form in forms if form.level == "district"), forms[0])


def _send_to_inspection(uow: UnitOfWork, nomination: Nomination, actor: Identity) -> None:
    """Ask the inspections to verify the model on site; the nomination then waits for them."""
    uow.raise_event(InspectionRequested(nomination_id=nomination.id, item_id=nomination.item_id,
                                        actor=actor))
    from_status = nomination.status
    nomination.status = domain.request_inspection(Status(from_status))
    _changed(uow, nomination, actor, Action.REQUEST_INSPECTION, from_status)


def on_inspection_concluded(event: InspectionConcluded, uow: UnitOfWork) -> None:
    """An inspection team concluded: for a nominated model, verified moves the nomination on;
    partly or not verified returns it to the committee, proposed again with the findings.
    An inspection no nomination asked for leaves the nominations alone. The caller commits."""
    if event.nomination_id is None:
        return
    nomination = uow.session.get(Nomination, event.nomination_id)
    if nomination is None:
        raise NotFound()
    action, to_status = domain.after_inspection(Status(nomination.status), Outcome(event.outcome))
    from_status = nomination.status
    nomination.inspection_outcome = event.outcome
    nomination.findings = event.findings.strip() or None
    if action != Action.NOTE_INSPECTION:
        nomination.status = to_status
        nomination.returned = action == Action.RETURN
    _changed(uow, nomination, event.actor, action, from_status, nomination.findings)


# ---- the district's own steps --------------------------------------------------------------


def request_inspection(cmd: RequestInspection, uow: UnitOfWork) -> Nomination:
    """Send a proposed nomination (one returned by an inspection, say) to be inspected again."""
    nomination = _for_action(uow.session, cmd.user, cmd.nomination_id, cmd.expected_version)
    domain.request_inspection(Status(nomination.status))
    nomination.returned = False
    _send_to_inspection(uow, nomination, cmd.user)
    uow.commit()
    return nomination


def edit(cmd: Edit, uow: UnitOfWork, forms: tuple[AwardForm, ...]) -> Nomination:
    """Change the award form, level, commendation type, reasons and achievements while proposed."""
    nomination = _for_action(uow.session, cmd.user, cmd.nomination_id, cmd.expected_version)
    domain.check_editable(Status(nomination.status))
    reasons, achievements = cmd.reasons.strip(), cmd.achievements.strip()
    domain.check_details(cmd.award_form, cmd.level, cmd.commendation_type, reasons, achievements,
                         forms)
    nomination.award_form, nomination.level = cmd.award_form, cmd.level
    nomination.commendation_type = cmd.commendation_type
    nomination.reasons, nomination.achievements = reasons, achievements
    _changed(uow, nomination, cmd.user, Action.EDIT, nomination.status)
    uow.commit()
    return nomination


def submit(cmd: Submit, uow: UnitOfWork) -> Nomination:
    """Submit for decision: refused before the inspection verified the model, or while the
    subject is flagged ineligible."""
    nomination = _for_action(uow.session, cmd.user, cmd.nomination_id, cmd.expected_version)
    flag = ineligibility(uow.session, nomination)
    from_status = nomination.status
    nomination.status = domain.submit(Status(from_status), flag.reason if flag else None,
                                      nomination.returned)
    _changed(uow, nomination, cmd.user, Action.SUBMIT, from_status)
    uow.commit()
    return nomination


def decide(cmd: Decide, uow: UnitOfWork) -> Nomination:
    """Record the competent authority's decision: its number, date and signer."""
    nomination = _for_action(uow.session, cmd.user, cmd.nomination_id, cmd.expected_version)
    number, signer = cmd.decision_number.strip(), cmd.signer.strip()
    domain.check_decision(number, cmd.decision_date, signer, today_in_vietnam())  # Vietnam's day
    from_status = nomination.status
    nomination.status = domain.decide(Status(from_status))
    nomination.decision_number, nomination.decision_date = number, cmd.decision_date
    nomination.signer = signer
    _changed(uow, nomination, cmd.user, Action.DECIDE, from_status,
             f"{number}, {cmd.decision_date:%d/%m/%Y}, {signer}")
    uow.commit()
    return nomination


def drop(cmd: Drop, uow: UnitOfWork) -> Nomination:
    """Drop a nomination that is not final, saying why."""
    nomination = _for_action(uow.session, cmd.user, cmd.nomination_id, cmd.expected_version)
    reason = cmd.reason.strip()
    domain.check_reason(reason)
    from_status = nomination.status
    nomination.status = domain.drop(Status(from_status))
    nomination.drop_reason = reason
    _changed(uow, nomination, cmd.user, Action.DROP, from_status, reason)
    uow.commit()
    return nomination


def flag_ineligible(cmd: FlagIneligible, uow: UnitOfWork) -> IneligibleSubject:
    """An administrator flags the nomination's subject as not to be commended, with the reason;
    every open nomination of that subject records it."""
    nomination = get(uow.session, cmd.user, cmd.nomination_id)
    domain.check_flagger(cmd.user, nomination.district_code)
    reason = cmd.reason.strip()
    domain.check_reason(reason)
    if ineligibility(uow.session, nomination) is not None:
        raise domain.Refused(domain.Refusal.ALREADY_FLAGGED)
    flag = IneligibleSubject(
        district_code=nomination.district_code, subject_type=nomination.subject_type,
        subject_key=nomination.subject_key, subject_name=nomination.subject_name, reason=reason,
        flagged_by=cmd.user.name, flagged_at=clock.now())
    uow.session.add(flag)
    for each in _same_subject(uow.session, nomination):
        _changed(uow, each, cmd.user, Action.FLAG, each.status, reason)
    uow.commit()
    return flag


def clear_ineligible(cmd: ClearIneligible, uow: UnitOfWork) -> None:
    """An administrator lifts the flag; the subject's open nominations record it."""
    nomination = get(uow.session, cmd.user, cmd.nomination_id)
    domain.check_flagger(cmd.user, nomination.district_code)
    flag = ineligibility(uow.session, nomination)
    if flag is None:
        raise domain.Refused(domain.Refusal.NOT_FLAGGED)
    uow.session.delete(flag)
    for each in _same_subject(uow.session, nomination):
        _changed(uow, each, cmd.user, Action.CLEAR, each.status, flag.reason)
    uow.commit()


def _same_subject(session: Session, nomination: Nomination) -> list[Nomination]:
    others = session.scalars(select(Nomination).where(
        Nomination.subject_key == nomination.subject_key,
        Nomination.subject_type == nomination.subject_type,
        Nomination.district_code == nomination.district_code,
        Nomination.status.not_in(domain.FINAL)).order_by(Nomination.id))
    return list(others) or [nomination]


def ineligibility(session: Session, nomination: Nomination) -> IneligibleSubject | None:
    """The flag on the nomination's subject, if an administrator set one."""
    return session.scalar(select(IneligibleSubject).where(
        IneligibleSubject.subject_key == nomination.subject_key,
        IneligibleSubject.subject_type == nomination.subject_type,
        IneligibleSubject.district_code == nomination.district_code))


# ---- reading -------------------------------------------------------------------------------


def nominations(session: Session, user: Identity, status: str = "") -> list[Nomination]:
    """The nominations of the caller's district (every district's for an administrator), newest first."""
    domain.check_viewer(user)
    query = select(Nomination).order_by(Nomination.id.desc())
    if not is_admin(user):
        query = query.where(Nomination.district_code == user.scope)
    if status in {s.value for s in Status}:
        query = query.where(Nomination.status == status)
    return list(session.scalars(query.limit(1000)))


def get(session: Session, user: Identity, nomination_id: int) -> Nomination:
    domain.check_viewer(user)
    nomination = session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFound()
    domain.check_viewer(user, nomination.district_code)
    return nomination


def results_of(session: Session, nomination: Nomination) -> list[ReviewItem]:
    """The result reports of the nomination's models, oldest period first."""
    reports = session.scalars(select(ReviewItem).where(
        ReviewItem.kind == "result_report", ReviewItem.model_id.in_(nomination.model_ids),
        ReviewItem.status.not_in(("rejected", "withdrawn"))).order_by(ReviewItem.id))
    return sorted(reports, key=lambda item: _period_order((item.report or {}).get("period") or {}))


def _period_order(period: dict) -> tuple:
    return period.get("year") or 0, period.get("kind") or "", period.get("id") or 0


def _for_action(session: Session, user: Identity, nomination_id: int,
                expected_version: int | None) -> Nomination:
    nomination = get(session, user, nomination_id)
    domain.check_actor(user, nomination.district_code)
    if expected_version is not None and expected_version != nomination.version:
        raise StaleDecision()
    return nomination


# ---- history and events --------------------------------------------------------------------


def _changed(uow: UnitOfWork, nomination: Nomination, actor: Identity | None, action: Action,
             from_status: str | None, comment: str | None = None) -> None:
    """A line of the nomination's history and the event with its whole new state."""
    nomination.version += 1
    nomination.updated_at = clock.now()
    uow.session.add(NominationEvent(
        nomination=nomination, at=nomination.updated_at, actor_id=actor.id if actor else None,
        actor_name=actor.name if actor else "", action=action.value, from_status=from_status,
        to_status=nomination.status, comment=comment))
    try:
        uow.session.flush()  # UPDATE ... WHERE version = the one read: a concurrent change loses
    except StaleDataError:
        raise StaleDecision() from None
    uow.emit(changed_event(nomination, uow.config.award_forms))


def changed_event(nomination: Nomination, forms: tuple[AwardForm, ...]) -> events.Event:
    reason = nomination.drop_reason if nomination.status == Status.DROPPED else (
        nomination.findings if nomination.returned else None)
    names = {form.code: form.name for form in forms}  # as this deployment calls them
    return events.Event(
        type=events.NOMINATION_CHANGED, producer=PRODUCER,
        aggregate_id=f"nomination-{nomination.id}", aggregate_version=nomination.version,
        payload={
            "nomination_id": nomination.id, "model_ids": nomination.model_ids,
            "subject_type": nomination.subject_type, "subject_name": nomination.subject_name,
            "award_form": nomination.award_form,
            "award_form_name": names.get(nomination.award_form, nomination.award_form),
            "level": nomination.level,
            "status": nomination.status, "commune_code": nomination.commune_code,
            "district_code": nomination.district_code, "period_id": None,
            "decision_number": nomination.decision_number,
            "decision_date": nomination.decision_date, "signer": nomination.signer,
            "reason": reason[:domain.TEXT_MAX] if reason else None,
            "version": nomination.version, "changed_at": nomination.updated_at,
        })


# ---- the dossier ---------------------------------------------------------------------------


def request_dossier(cmd: RequestDossier, uow: UnitOfWork) -> Dossier:
    """Queue the dossier of some nominations of one district: all visible, none dropped, every one
    verified by its inspection."""
    wanted = sorted(set(cmd.nomination_ids))
    if not wanted or len(wanted) > 200:
        raise InvalidInput({"nominations": ["choose"]})
    chosen = [get(uow.session, cmd.user, number) for number in wanted]
    districts = {nomination.district_code for nomination in chosen}
    for nomination in chosen:
        domain.check_actor(cmd.user, nomination.district_code)
    if len(districts) > 1:
        raise InvalidInput({"nominations": ["one_district"]})
    if any(nomination.status == Status.DROPPED for nomination in chosen):
        raise InvalidInput({"nominations": ["dropped"]})
    if not domain.in_dossier([Status(nomination.status) for nomination in chosen]):
        raise InvalidInput({"nominations": ["unverified"]})
    dossier = Dossier(district_code=districts.pop(), nomination_ids=wanted,
                      requested_by_id=cmd.user.id, requested_by=cmd.user.name, status="queued",
                      total=len(wanted) + 2, processed=0, created_at=clock.now(), updated_at=clock.now())
    uow.session.add(dossier)
    uow.commit()
    return dossier


def get_dossier(session: Session, user: Identity, dossier_id: int) -> Dossier:
    """A dossier, for someone allowed to see every nomination in it."""
    domain.check_viewer(user)
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound()
    domain.check_viewer(user, dossier.district_code)
    for number in dossier.nomination_ids:
        get(session, user, number)
    return dossier


def recent_dossiers(session: Session, user: Identity) -> list[Dossier]:
    domain.check_viewer(user)
    query = select(Dossier).order_by(Dossier.id.desc()).limit(10)
    if not is_admin(user):
        query = query.where(Dossier.district_code == user.scope)
    return list(session.scalars(query))


def fail_dossier(uow: UnitOfWork, dossier_id: int, code: str) -> None:
    """Mark an unfinished dossier failed; ``code`` says why (``not_started``, ``broke_off``)."""
    with uow:
        dossier = uow.session.get(Dossier, dossier_id)
        if dossier is not None and dossier.unfinished:
            dossier.status, dossier.error = "failed", code
            dossier.finished_at = dossier.updated_at = clock.now()
            uow.commit()
