"""An item left past its due time: its reviewers are reminded, then those above them are told,
through review's outbox, the broker and intake's consumer, on both engine kinds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from intake_service.accounts.tables import User
from intake_service.notifications import jobs as notification_jobs
from intake_service.notifications.tables import Notification
from review_service.queue import deadlines
from review_service.queue import services as review_services
from review_service.queue.tables import ReviewItem
from tests.integration.test_periods import StubSMTP
from tests.support.stack import wait_for


def notified(system, username: str) -> list[Notification]:
    with system.intake.application.extensions["intake"].sessions() as db:
        user_id = db.scalar(select(User.id).where(User.username == username))
        return list(db.scalars(select(Notification).where(Notification.user_id == user_id,
                                                           Notification.key.like("review.%"))))


def sweep_at(system, when) -> int:
    review = system.review.application.extensions["review"]
    with review.uow() as uow:
        return deadlines.sweep(uow, when, timedelta(days=3), review_services.audit)


def test_an_overdue_item_reminds_its_reviewers_then_escalates_to_the_district(system):
    submission_id = system.register("donvi", title="Mô hình quá hạn ở bản Pha")
    item = system.item_for(submission_id, "xa", "commune")
    review = system.review.application.extensions["review"]
    with review.sessions() as db:
        due_at = db.get(ReviewItem, item["id"]).due_at

    assert sweep_at(system, due_at - timedelta(hours=1)) == 0
    assert sweep_at(system, due_at + timedelta(hours=1)) == 1
    assert sweep_at(system, due_at + timedelta(hours=2)) == 0  # reminded once only
    reminders = wait_for(lambda: notified(system, "xa") or None, message="xa reminded")
    assert [n.key for n in reminders] == ["review.overdue_reminder"]
    assert reminders[0].params["title"] == "Mô hình quá hạn ở bản Pha"
    assert notified(system, "xa2") == []  # another commune's reviewer is not told

    assert sweep_at(system, due_at + timedelta(days=3)) == 1
    escalated = wait_for(lambda: notified(system, "huyen") or None, message="district told")
    assert [n.key for n in escalated] == ["review.overdue_escalation"]
    wait_for(lambda: len(notified(system, "xa")) == 2 or None, message="xa told again")
    with review.sessions() as db:
        trail = [entry.action for entry in db.get(ReviewItem, item["id"]).audit]
    assert trail[-2:] == ["reminder", "escalation"]
    in_queue = next(i for i in system.queue("xa", "commune")
                    if i["submission_id"] == submission_id)
    assert in_queue["escalation"] == deadlines.ESCALATED  # the queue flags it


def test_a_decision_gives_the_next_stage_a_fresh_deadline(system):
    submission_id = system.register("donvi", title="Mô hình được duyệt kịp bản Xằng")
    item = system.item_for(submission_id, "xa", "commune")
    review = system.review.application.extensions["review"]
    with review.sessions() as db:
        due_at = db.get(ReviewItem, item["id"]).due_at
    sweep_at(system, due_at + timedelta(hours=1))
    item = system.item_for(submission_id, "xa", "commune")
    assert system.decide("xa", item, "approve").status_code == 200
    with review.sessions() as db:
        moved = db.get(ReviewItem, item["id"])
        assert (moved.stage, moved.escalation) == ("district", deadlines.NOT_YET)
        assert moved.due_at > due_at


def test_an_escalation_also_reaches_the_district_reviewer_by_email(system, monkeypatch):
    monkeypatch.setattr(notification_jobs.smtplib, "SMTP", StubSMTP)
    StubSMTP.sent = []
    for key, value in system.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    intake = system.intake.application.extensions["intake"]
    with intake.uow() as uow:
        uow.session.execute(update(User).where(User.username == "huyen")
                            .values(email="huyen@example.vn"))
        uow.commit()
    submission_id = system.register("donvi", title="Mô hình chờ lâu ở bản Cống")
    item = system.item_for(submission_id, "xa", "commune")
    review = system.review.application.extensions["review"]
    with review.sessions() as db:
        due_at = db.get(ReviewItem, item["id"]).due_at
    sweep_at(system, due_at + timedelta(hours=1))
    sweep_at(system, due_at + timedelta(days=3))
    wait_for(lambda: any(n.params["title"] == "Mô hình chờ lâu ở bản Cống"
                         for n in notified(system, "huyen")) or None, message="district told")

    assert notification_jobs.email_notifications() >= 1
    [mail] = [m for m in StubSMTP.sent if "Mô hình chờ lâu ở bản Cống" in m.get_content()]
    assert mail["To"] == "huyen@example.vn"
    assert mail["Subject"] == "Chuyển cấp trên: một hồ sơ quá hạn trong địa bàn của bạn"
    assert notification_jobs.email_notifications() == 0  # each notification is emailed once
