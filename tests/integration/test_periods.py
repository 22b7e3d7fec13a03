"""Periods and deadlines as people meet them: the administrator opens a period, units see what
they owe, reviewers see who is late or missing, and an rq job reminds those who owe, once."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta
from email.message import EmailMessage

import pytest
from rq import Queue
from sqlalchemy import func, select

from intake_service.accounts import services as accounts
from intake_service.accounts.tables import User
from intake_service.bootstrap import bootstrap
from intake_service.notifications import jobs as notification_jobs
from intake_service.notifications.tables import Notification
from intake_service.periods import jobs
from intake_service.periods import services as period_services
from intake_service.periods.config import Smtp
from intake_service.periods.domain import today_in_vietnam
from intake_service.submissions import services
from shared import jobs as job_queue
from shared.settings import from_env
from shared.translation import in_language
from tests.support.jobs import BurstWorker
from tests.support.people import add_people as create_accounts
from tests.support.people import browser, cast
from tests.support.web import csrf, intake_app

PEOPLE = cast("admin", "donvi", "donvi2", "donvi3", "xa")
REGISTRATION = {"title": "Hội Nông dân xã Môn Sơn giúp nhau làm kinh tế", "field": "economy",
                "subject_type": "collective", "commune_code": "mon-son"}


def add_people(intake) -> dict[str, User]:
    return create_accounts(intake.sessions, PEOPLE)


def submit_registration(intake, user: User) -> None:
    cmd = services.SaveDraft(accounts.identity_of(user), REGISTRATION, and_submit=True)
    with intake.uow() as uow:
        services.save_draft(cmd, uow)


def open_period(intake, admin: User, opens_on: date, deadline: date, kind: str = "H1") -> None:
    cmd = period_services.OpenPeriod(accounts.identity_of(admin), kind, opens_on.year,
                                     ("registrations",), opens_on, deadline)
    with intake.uow() as uow:
        period_services.open_period(cmd, uow)


# ---- pages -----------------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path):
    with intake_app(tmp_path, PEOPLE) as app:  # with Con Cuông's communes, which units belong to
        yield app


@pytest.fixture
def signed_in(app):
    """``signed_in(username)``: an intake client signed in, reading English."""
    return functools.partial(browser, app, lang="en")


def period_form(client, **values) -> dict:
    token = csrf(client.get("/periods").get_data(as_text=True))
    return {"csrf_token": token, "kind": "H1", "year": "2024", "due_items": ["registrations"],
            "opens_on": "2024-01-02", "deadline": "2024-06-10"} | values


def test_an_administrator_opens_a_period_and_sees_it_listed_with_its_deadline(signed_in):
    admin = signed_in("admin")
    response = admin.post("/periods", data=period_form(admin), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "First half of 2024" in page and "10/6/2024" in page and "2/1/2024" in page


def test_a_period_page_in_vietnamese_shows_dates_the_vietnamese_way(signed_in):
    admin = signed_in("admin")
    admin.post("/periods", data=period_form(admin, deadline="10/6/2024"))
    admin.set_cookie("lang", "vi")
    assert "10/6/2024" in admin.get("/periods").get_data(as_text=True)


@pytest.mark.parametrize("username", ["donvi", "xa"])
def test_only_an_administrator_may_see_or_open_periods(signed_in, username):
    client = signed_in(username)
    assert client.get("/periods").status_code == 403
    token = csrf(client.get("/due").get_data(as_text=True))
    assert client.post("/periods", data={"csrf_token": token, "kind": "H1"}).status_code == 403
    assert client.post("/periods/1/close", data={"csrf_token": token}).status_code == 403


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"deadline": "2024-01-01"}, "deadline", "cannot be before the opening day"),
    ({"kind": "Q7"}, "kind", "listed kinds of period"),
    ({"year": "1850"}, "year", "between 2000 and 2100"),
    ({"year": "99999999999999999999999"}, "year", "between 2000 and 2100"),
    ({"year": "hai nghìn"}, "year", "as a number"),
    ({"kind": ""}, "kind", "This field is required"),
    ({"opens_on": ""}, "opens_on", "This field is required"),
    ({"deadline": "31/2/2024"}, "deadline", "day/month/year"),
    ({"due_items": []}, "due_items", "at least one thing"),
])
def test_bad_period_input_gets_a_specific_message_and_keeps_what_was_typed(signed_in, changes,
                                                                           field, message):
    admin = signed_in("admin")
    values = period_form(admin, **changes)
    response = admin.post("/periods", data=values)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert f'id="{field}-error"' in page
    for name in ("year", "opens_on", "deadline"):
        assert f'value="{values[name]}"' in page


def test_the_same_kind_of_period_cannot_be_opened_twice_in_a_year(signed_in):
    admin = signed_in("admin")
    admin.post("/periods", data=period_form(admin))
    response = admin.post("/periods", data=period_form(admin))
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def dues_on(page: str) -> list[str]:
    return re.findall(r'data-due="(\w+)"', page)


def test_a_unit_with_nothing_sent_sees_missing_after_the_deadline(app, signed_in):
    intake, people = app.extensions["intake"], app.people
    today = today_in_vietnam()
    open_period(intake, people["admin"], today - timedelta(days=30), today - timedelta(days=1))
    page = signed_in("donvi").get("/due").get_data(as_text=True)
    assert dues_on(page) == ["missing"]
    assert "Missing" in page


def test_a_registration_answers_the_period_taking_registrations_and_the_other_stays_missing(app, signed_in):
    intake, people = app.extensions["intake"], app.people
    today = today_in_vietnam()
    open_period(intake, people["admin"], today - timedelta(days=3), today + timedelta(days=3))
    open_period(intake, people["admin"], today - timedelta(days=30), today - timedelta(days=1),
                kind="FY")
    # Periods come by deadline: the full year's passed yesterday, the half year's is in 3 days.
    assert dues_on(signed_in("donvi").get("/due").get_data(as_text=True)) == ["missing", "pending"]
    submit_registration(intake, people["donvi"])
    # The registration belongs to the period taking registrations now, the half year's: the
    # full year, past its deadline, still misses one.
    assert dues_on(signed_in("donvi").get("/due").get_data(as_text=True)) == ["missing", "on_time"]


def test_a_commune_reviewer_sees_who_in_the_commune_is_late_or_missing(app, signed_in):
    intake, people = app.extensions["intake"], app.people
    today = today_in_vietnam()
    open_period(intake, people["admin"], today - timedelta(days=30), today - timedelta(days=1))
    submit_registration(intake, people["donvi"])
    page = signed_in("xa").get("/due").get_data(as_text=True)
    rows = re.findall(r"<td>([^<]+)</td><td>([^<]+)</td>\s*<td>[^<]+</td>\s*"
                      r'<td><span class="status \w*" data-due="(\w+)"', page)
    assert sorted((name, due) for _, name, due in rows) == [
        ("Lang Văn Phúc", "missing"), ("Lô Thị Hoa", "late")]
    assert "Vi Văn Tâm" not in page  # another commune's unit


def test_a_closed_period_is_no_longer_due(app, signed_in):
    admin = signed_in("admin")
    admin.post("/periods", data=period_form(admin))
    admin.post("/periods/1/close", data={"csrf_token": period_form(admin)["csrf_token"]})
    assert "No reporting period is open" in signed_in("donvi").get("/due").get_data(as_text=True)


def test_a_reminder_is_shown_in_the_readers_language_and_can_be_marked_read(app, signed_in):
    intake, people = app.extensions["intake"], app.people
    open_period(intake, people["admin"], date(2024, 1, 2), date(2024, 6, 10))
    with intake.uow() as uow:
        period_services.send_reminders(period_services.SendReminders(date(2024, 6, 11)), uow,
                                       app.extensions["periods"].schedule)
    donvi = signed_in("donvi")
    page = donvi.get("/notifications").get_data(as_text=True)
    assert "First half of 2024: the deadline of 10/6/2024 has passed" in page
    assert "model registrations" in page
    donvi.post("/notifications/read", data={"csrf_token": csrf(page), "notification_id": "1"})
    assert "Mark as read" not in donvi.get("/notifications").get_data(as_text=True)
    assert "First half of 2024" not in signed_in("xa").get("/notifications").get_data(as_text=True)


def test_a_user_cannot_mark_someone_elses_notification_read(app, signed_in):
    intake, people = app.extensions["intake"], app.people
    open_period(intake, people["admin"], date(2024, 1, 2), date(2024, 6, 10))
    with intake.uow() as uow:
        period_services.send_reminders(period_services.SendReminders(date(2024, 6, 11)), uow,
                                       app.extensions["periods"].schedule)
    other = signed_in("donvi2")
    token = csrf(other.get("/notifications").get_data(as_text=True))
    other.post("/notifications/read", data={"csrf_token": token, "notification_id": "1"})
    with intake.sessions() as db:
        assert db.get(Notification, 1).read_at is None


# ---- the reminder job, through a real rq worker ---------------------------------------------


@pytest.fixture
def env(intake_env, monkeypatch):
    """The engines, with no SMTP server and the default reminder days."""
    for key in ("SMTP_HOST", "DVK_REMIND_DAYS_BEFORE", "DVK_REMIND_DAYS_AFTER"):
        monkeypatch.delenv(key, raising=False)
    return intake_env


def test_the_reminder_job_notifies_each_unit_that_owes_once_however_often_it_runs(env):
    intake = bootstrap(from_env())
    people = add_people(intake)
    open_period(intake, people["admin"], date(2024, 1, 2), date(2024, 6, 10))
    submit_registration(intake, people["donvi3"])  # sent, if late: nothing to remind
    redis = job_queue.connect(from_env())
    queue = Queue(f"periods-{env['DVK_NAMESPACE']}", connection=redis)

    first = queue.enqueue(jobs.send_reminders, "2024-06-11")
    again = queue.enqueue(jobs.send_reminders, "2024-06-11")
    BurstWorker([queue], connection=redis).work(burst=True)

    assert first.return_value() == {"notifications": 2, "emails": 0}
    assert again.return_value() == {"notifications": 0, "emails": 0}
    with intake.sessions() as db:
        notified = db.execute(select(Notification.user_id, func.count())
                              .group_by(Notification.user_id)).all()
    assert sorted(notified) == sorted([(people["donvi"].id, 1), (people["donvi2"].id, 1)])
    intake.engine.dispose()
    redis.close()


# ---- email, to a stub standing in for the SMTP server ----------------------------------------


class StubSMTP:
    sent: list[EmailMessage] = []

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        StubSMTP.sent.append(message)


def test_a_reminder_email_is_composed_in_vietnamese_and_sent_over_one_connection(monkeypatch):
    monkeypatch.setattr(notification_jobs.smtplib, "SMTP", StubSMTP)
    StubSMTP.sent = []
    with in_language("vi"):
        subject, body = jobs.compose("period.reminder_before", {
            "kind": "H1", "year": 2024, "deadline": "2024-06-10", "items": ["reports"]})
    assert "10/6/2024" in body
    message = EmailMessage()
    message["To"], message["Subject"] = "donvi@example.vn", subject
    message.set_content(body)
    assert notification_jobs.deliver(Smtp(host="127.0.0.1"), [(7, message)]) == [7]
    assert StubSMTP.sent == [message]
