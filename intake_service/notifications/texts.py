"""What notifications say, as English msgids rendered in the reader's language.

Notifications are stored as a key and parameters, not as text, so each reader
sees them in the language chosen when reading, and a fixed translation shows
up in old notifications too.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from intake_service.periods.texts import items_label
from shared.catalog import INSPECTION_OUTCOMES, STAGES, period_label
from shared.web.formatting import vn_date

NOTIFICATION_TEXTS = {
    "period.reminder_before": _l(
        "%(period)s: please send your %(items)s by %(deadline)s."),
    "period.reminder_after": _l(
        "%(period)s: the deadline of %(deadline)s has passed and your %(items)s have not arrived. "
        "Please send them as soon as you can."),
    "review.overdue_reminder": _l(
        "«%(title)s» has waited at the %(stage)s stage past its due date of %(due)s. "
        "Please decide it."),
    "review.overdue_escalation": _l(
        "«%(title)s» is still undecided at the %(stage)s stage, overdue since %(due)s; "
        "it is brought to you to follow up."),
    "inspection.overdue": _l(
        "The inspection of «%(title)s» is overdue since %(due)s; it is brought to you to "
        "follow up."),
    "model.exemplar": _l("The steering committee chose «%(title)s» as an exemplar."),
    "model.inspected": _l("The inspection team concluded on «%(title)s»: %(outcome)s."),
    "decision.registration.approved": _l("Your registration «%(title)s» was approved."),
    "decision.registration.returned": _l(
        "Your registration «%(title)s» was returned for changes at the %(stage)s stage: "
        "%(comment)s"),
    "decision.registration.rejected": _l(
        "Your registration «%(title)s» was rejected at the %(stage)s stage: %(comment)s"),
    "decision.amendment.approved": _l(
        "Your amendment of «%(title)s» was approved: the model now reads as amended."),
    "decision.amendment.returned": _l(
        "Your amendment of «%(title)s» was returned for changes at the %(stage)s stage: "
        "%(comment)s"),
    "decision.amendment.rejected": _l(
        "Your amendment of «%(title)s» was rejected at the %(stage)s stage: %(comment)s"),
    "decision.result_report.approved": _l("Your result report on «%(title)s» was approved."),
    "decision.result_report.returned": _l(
        "Your result report on «%(title)s» was returned for changes at the %(stage)s stage: "
        "%(comment)s"),
    "decision.result_report.rejected": _l(
        "Your result report on «%(title)s» was rejected at the %(stage)s stage: %(comment)s"),
    "nomination.decided": _l(
        "The award nomination of «%(subject)s» was decided: %(award)s, decision no. %(number)s "
        "of %(date)s."),
    "nomination.dropped": _l("The award nomination of «%(subject)s» was dropped: %(reason)s"),
    "queue.new": _l(
        "New in your queue at the %(stage)s stage: %(count)s item(s), the latest «%(title)s»."),
}


def _stage(code: str) -> str:
    return str(STAGES.get(code, code))


def render_notification(key: str, params: dict) -> str:
    """A stored notification as text in the current language."""
    template = NOTIFICATION_TEXTS.get(key)
    if template is None:
        return _("You have a new notification.")
    if key.startswith("decision."):
        return str(template) % {"title": params["title"], "stage": _stage(params["stage"]),
                                "comment": params.get("comment") or "—"}
    if key.startswith("nomination."):
        when = params.get("date")
        return str(template) % {**params, "reason": params.get("reason") or "—",
                                "date": vn_date(date.fromisoformat(when)) if when else "—"}
    if key == "queue.new":
        return str(template) % {"stage": _stage(params["stage"]), "count": params["count"],
                                "title": params["titles"][0]}
    if key.startswith("model."):
        outcome = params.get("outcome", "")
        return str(template) % {"title": params["title"],
                                "outcome": str(INSPECTION_OUTCOMES.get(outcome, outcome))}
    if key.startswith("inspection."):
        return str(template) % {"title": params["title"],
                                "due": vn_date(date.fromisoformat(params["due"]))}
    if key.startswith("review."):
        return str(template) % {"title": params["title"],
                                "stage": str(STAGES.get(params["stage"], params["stage"])),
                                "due": vn_date(date.fromisoformat(params["due"]))}
    return str(template) % {
        "period": period_label(params["kind"], params["year"]),
        "deadline": vn_date(date.fromisoformat(params["deadline"])),
        "items": items_label(params.get("items", [])),
    }
