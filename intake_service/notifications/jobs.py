"""rq jobs of notifications: review's news carried by email, and the SMTP delivery every email uses.

The periods' reminders are emailed by their own job, through ``deliver`` here too.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from intake_service.accounts.tables import User
from intake_service.bootstrap import bootstrap
from intake_service.notifications import texts
from intake_service.notifications.tables import Notification
from intake_service.periods.config import Smtp
from shared import clock
from shared.settings import from_env
from shared.translation import in_language

log = logging.getLogger(__name__)
EVERY_TEN_MINUTES = 600
SUBJECTS = {
    "review.overdue_reminder": _l("Reminder: an item waits for your decision"),
    "review.overdue_escalation": _l("Escalation: an overdue item in your area"),
    "inspection.overdue": _l("Escalation: an overdue inspection"),
    "model.exemplar": _l("Your model was chosen as an exemplar"),
    "model.inspected": _l("Inspection of your model concluded"),
}
EMAILED_KEYS = tuple(SUBJECTS)


def email_notifications(now: str | None = None) -> int:
    """Send by email the review notifications of the last day not yet sent; return how many left.

    Reminders and escalations of overdue items, and what review made of a model, reach people
    in-app from the consumer; this job, on the scheduler, carries them to those with an address.
    Safe to run twice, or twice at once: a run first claims the notifications it sends (marks them
    emailed, only where none is marked yet), and gives back those the SMTP server refused, for the
    next run. A worker killed between the claim and the sending leaves its claim: the email is
    then not sent (the in-app notification stands), never sent twice.
    """
    intake = bootstrap(from_env())
    period_settings = intake.config.periods
    if period_settings.smtp is None:
        intake.engine.dispose()
        return 0
    moment = datetime.fromisoformat(now) if now else clock.now()
    try:
        claimed = _claim(intake, moment)
        if not claimed:
            return 0
        with intake.sessions() as db, in_language("vi"):
            pending = db.execute(
                select(Notification, User.email).join(User, User.id == Notification.user_id)
                .where(Notification.id.in_(claimed)).order_by(Notification.id)).all()
            outgoing = [(note.id, _notification_message(note, address, period_settings.smtp.sender))
                        for note, address in pending]
        delivered = deliver(period_settings.smtp, outgoing)
        _give_back(intake, set(claimed) - set(delivered), moment)
    finally:
        intake.engine.dispose()
    return len(delivered)


def _claim(intake, moment: datetime) -> list[int]:
    """Mark as emailed the notifications this run will send; those another run marked are not."""
    unsent = (select(Notification.id).join(User, User.id == Notification.user_id)
              .where(Notification.key.in_(EMAILED_KEYS), Notification.emailed_at.is_(None),
                     Notification.created_at >= moment - timedelta(days=1),
                     User.email.is_not(None), User.email != "")
              .order_by(Notification.id).limit(500))
    with intake.uow() as uow:
        # The condition is checked again on each row as it is written: a row another run claimed
        # meanwhile (PostgreSQL waits for that run's commit; SQLite has one writer) is left out.
        claimed = list(uow.session.scalars(
            update(Notification).where(Notification.id.in_(unsent), Notification.emailed_at.is_(None))
            .values(emailed_at=moment).returning(Notification.id)
            .execution_options(synchronize_session=False)))
        uow.commit()
    return claimed


def _give_back(intake, unsent: set[int], moment: datetime) -> None:
    """Unmark what the SMTP server did not take, so that the next run tries it again."""
    if not unsent:
        return
    with intake.uow() as uow:
        uow.session.execute(update(Notification).where(Notification.id.in_(unsent),
                                                       Notification.emailed_at == moment)
                            .values(emailed_at=None).execution_options(synchronize_session=False))
        uow.commit()


def _notification_message(note: Notification, address: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"] = sender, address
    message["Subject"] = str(SUBJECTS.get(note.key, _("Dân vận khéo: news for you")))
    message.set_content(texts.render_notification(note.key, note.params))
    return message


def deliver(smtp: Smtp, messages: list[tuple[int, EmailMessage]]) -> list[int]:
    """Send the messages over one SMTP connection; return the ids of those accepted."""
    delivered: list[int] = []
    if not messages:
        return delivered
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
            if smtp.starttls:
                server.starttls()
            if smtp.username:
                server.login(smtp.username, smtp.password)
            for reminder_id, message in messages:
                try:
                    server.send_message(message)
                    delivered.append(reminder_id)
                except smtplib.SMTPException:
                    log.exception("reminder email to %s refused", message["To"])
    except (OSError, smtplib.SMTPException):
        log.exception("SMTP server %s unreachable; reminders stay in-app only", smtp.host)
    return delivered


def register(scheduler) -> None:
    """Have rq's cron scheduler email the notifications every ten minutes."""
    scheduler.register(email_notifications, interval=EVERY_TEN_MINUTES,
                       name="notification-emails")
