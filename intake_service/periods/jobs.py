"""rq jobs of the periods feature: the daily reminders, in-app and by email where configured.

The job is idempotent: each reminder given is recorded with a unique key
(period, unit, reminder day), so a second run — the same day, or two runs at
once — gives nothing twice. Emails leave after that record is committed; one
that fails is logged and the in-app notification still stands. They go out through
the notifications' SMTP delivery (``notifications.jobs.deliver``).
"""

from __future__ import annotations

import logging
from datetime import date
from email.message import EmailMessage

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from intake_service.accounts.tables import User
from intake_service.bootstrap import bootstrap
from intake_service.notifications import texts
from intake_service.notifications.jobs import deliver
from intake_service.notifications.tables import Notification
from intake_service.periods import services
from intake_service.periods.config import Smtp
from intake_service.periods.domain import today_in_vietnam
from shared.settings import from_env
from shared.translation import in_language

log = logging.getLogger(__name__)
DAILY = 24 * 3600


def send_reminders(today: str | None = None) -> dict[str, int]:
    """Remind units that still owe something in an open period; return what was sent."""
    intake = bootstrap(from_env())
    period_settings = intake.config.periods
    try:
        with intake.uow() as uow:
            cmd = services.SendReminders(date.fromisoformat(today) if today else today_in_vietnam())
            try:
                reminded = services.send_reminders(cmd, uow, period_settings.schedule)
            except IntegrityError:  # another run gave these reminders a moment ago
                log.info("reminders already given by a concurrent run")
                return {"notifications": 0, "emails": 0}
        emailed = _email(intake, reminded, period_settings.smtp) if period_settings.smtp else 0
    finally:
        intake.engine.dispose()
    return {"notifications": len(reminded), "emails": emailed}


def _email(intake, reminded: list[services.Reminded], smtp: Smtp) -> int:
    with intake.sessions() as db, in_language("vi"):
        messages = [(r.reminder_id, _message(db, r, smtp.sender)) for r in reminded]
    outgoing = [(rid, message) for rid, message in messages if message is not None]
    delivered = deliver(smtp, outgoing)
    with intake.uow() as uow:
        services.mark_emailed(uow, delivered)
    return len(delivered)


def _message(db, reminded: services.Reminded, sender: str) -> EmailMessage | None:
    user = db.get(User, reminded.user_id)
    address = user.email if user else None  # an address comes with the users import; optional
    if not address:
        return None
    note = db.get(Notification, reminded.notification_id)
    subject, body = compose(note.key, note.params)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, address, subject
    message.set_content(body)
    return message


def compose(key: str, params: dict) -> tuple[str, str]:
    """Subject and body of a reminder email, in the language of the current context."""
    return _("Reminder: reporting deadline"), texts.render_notification(key, params)


def register(scheduler) -> None:
    """Have rq's cron scheduler run the reminders once a day."""
    scheduler.register(send_reminders, interval=DAILY, name="period-reminders")
