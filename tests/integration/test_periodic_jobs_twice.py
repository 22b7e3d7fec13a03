"""Periodic jobs may run twice — a scheduler taking over, a job retried, two workers — and
twice at once: none doubles its effect."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from intake_service.bootstrap import bootstrap
from intake_service.notifications import jobs as notification_jobs
from intake_service.notifications.tables import Notification
from shared import clock
from shared.settings import from_env
from tests.support.people import add_people, cast

PEOPLE = cast("xa", "huyen")


class Sink:
    """An SMTP server on this machine that keeps every message it is sent."""

    def __init__(self):
        self.received: list[tuple[str, bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.received.extend((to, envelope.content) for to in envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def smtp(intake_env, monkeypatch):
    """A local SMTP sink, and intake's settings pointing at it."""
    sink = Sink()
    with socket.socket() as probe:  # a free port: the controller checks its server on the port it is given
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("SMTP_STARTTLS", "0")
    yield sink
    controller.stop()


def overdue_notifications(intake, count: int) -> dict[int, str]:
    """``count`` overdue reminders for each of two reviewers with an address; id -> address."""
    people = add_people(intake.sessions, PEOPLE)
    made = {}
    with intake.sessions() as db:
        for username, user in people.items():
            user = db.merge(user)
            user.email = f"{username}@example.vn"
            for n in range(count):
                note = Notification(user_id=user.id, key="review.overdue_reminder",
                                    params={"title": f"Mô hình quá hạn số {n}", "stage": "commune",
                                            "due": "2024-06-10"},
                                    created_at=clock.now() - timedelta(minutes=5))
                db.add(note)
                db.flush()
                made[note.id] = user.email
        db.commit()
    return made


def run_at_once(job, times: int = 2) -> list:
    start, results = threading.Barrier(times), []

    def run():
        start.wait()
        results.append(job())

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_runs_of_the_email_job_at_once_send_each_notification_once(smtp):
    intake = bootstrap(from_env())
    made = overdue_notifications(intake, count=40)

    results = run_at_once(notification_jobs.email_notifications)

    assert sorted(to for to, _content in smtp.received) == sorted(made.values())
    assert sum(results) == len(made)
    with intake.sessions() as db:
        assert db.scalar(select(func.count()).where(Notification.emailed_at.is_(None))) == 0
    assert notification_jobs.email_notifications() == 0  # and a later run sends nothing again
    assert len(smtp.received) == len(made)
    intake.engine.dispose()


def test_what_the_smtp_server_could_not_take_is_sent_by_the_next_run(smtp, monkeypatch):
    intake = bootstrap(from_env())
    made = overdue_notifications(intake, count=2)
    sink_port = from_env().environ["SMTP_PORT"]
    monkeypatch.setenv("SMTP_PORT", "1")  # nobody listens there: the server is away

    assert notification_jobs.email_notifications() == 0
    monkeypatch.setenv("SMTP_PORT", sink_port)
    assert notification_jobs.email_notifications() == len(made)

    assert sorted(to for to, _content in smtp.received) == sorted(made.values())
    intake.engine.dispose()
