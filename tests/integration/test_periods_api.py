"""The periods' JSON API: periods for everyone to read and admins to open, dues, notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest

from intake_service.accounts.tables import User
from intake_service.notifications.tables import Notification
from intake_service.periods.domain import today_in_vietnam
from tests.support.people import bearer, cast
from tests.support.web import intake_app

PEOPLE = cast("admin", "donvi", "donvi2", "donvi3", "xa",
              kiemtra=("Kha Văn Kiểm", "inspector", "mon-son"))  # a commune's inspector
TODAY = today_in_vietnam()
PERIOD = {"kind": "H1", "year": TODAY.year, "due_items": ["registrations"],
          "opens_on": (TODAY - timedelta(days=10)).isoformat(),
          "deadline": (TODAY + timedelta(days=10)).isoformat()}


@pytest.fixture
def app(tmp_path):
    with intake_app(tmp_path, PEOPLE, template="schema") as app:
        app.people = {username: user.id for username, user in app.people.items()}
        yield app


@pytest.fixture
def api(app):
    client = app.test_client()
    client.set_cookie("lang", "en")

    def call(method: str, path: str, username: str, **kwargs):
        return client.open(path, method=method, headers=bearer(app, username), **kwargs)

    return call


@pytest.fixture
def opened(api):
    response = api("POST", "/api/periods", "admin", json=PERIOD)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_admin_opens_a_period_and_everyone_reads_it(opened, api):
    assert opened["label"] == f"First half of {TODAY.year}"
    assert opened["due_items"] == ["registrations"] and opened["closed_at"] is None
    listed = api("GET", "/api/periods", "donvi").get_json()["items"]
    assert [p["id"] for p in listed] == [opened["id"]]


def test_the_same_period_twice_is_a_409(opened, api):
    again = api("POST", "/api/periods", "admin", json=PERIOD)
    assert again.status_code == 409 and again.get_json()["error"]


@pytest.mark.parametrize("username", ["donvi", "xa", "kiemtra"])
def test_only_an_administrator_opens_a_period_whatever_the_body(api, username):
    assert api("POST", "/api/periods", username, json=PERIOD).status_code == 403
    assert api("POST", "/api/periods", username, json={"surprise": 1}).status_code == 403


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"year": "twenty"}, "year", "as a number"),
    ({"year": True}, "year", "as a number"),
    ({"year": 10**30}, "year", "between"),
    ({"year": [2024]}, "year", "as a number"),
    ({"kind": "<script>alert(1)</script>"}, "kind", "listed kinds"),
    ({"kind": 7}, "kind", "string"),
    ({"due_items": "registrations"}, "due_items", "list"),
    ({"due_items": ["parties"]}, "due_items", "one of"),
    ({"due_items": []}, "due_items", "at least one"),
    ({"deadline": "2024-02-30"}, "deadline", "day/month/year"),
    ({"deadline": "x" * 100000}, "deadline", "day/month/year"),
    ({"opens_on": (TODAY + timedelta(days=30)).isoformat()}, "deadline", "before the opening"),
    ({"surprise": "<b>x</b>"}, "surprise", "Unknown field"),
])
def test_a_bad_period_is_a_422_with_a_message_for_the_field(api, changes, field, message):
    response = api("POST", "/api/periods", "admin", json=PERIOD | changes)
    assert response.status_code == 422, response.get_json()
    assert message.lower() in " ".join(response.get_json()["fields"][field]).lower()
    assert api("GET", "/api/periods", "admin").get_json()["items"] == []


@pytest.mark.parametrize("body", ["[1, 2]", '"period"', "not json at all", "null"])
def test_a_body_that_is_not_a_json_object_is_a_422(api, body):
    response = api("POST", "/api/periods", "admin", data=body, content_type="application/json")
    assert response.status_code == 422 and response.get_json()["fields"]["_schema"]


@pytest.mark.parametrize(("username", "units"), [
    ("donvi", {"Lô Thị Hoa"}),
    ("xa", {"Lô Thị Hoa", "Lang Văn Phúc"}),
    ("admin", {"Lô Thị Hoa", "Lang Văn Phúc", "Vi Văn Tâm"}),
])
def test_what_is_due_is_ones_own_or_that_of_the_units_of_ones_area(opened, api, username, units):
    response = api("GET", "/api/due", username)
    assert response.status_code == 200
    [period] = response.get_json()["items"]
    assert period["period"]["id"] == opened["id"]
    assert {u["name"] for u in period["units"]} == units
    assert period["units"][0]["items"] == [{"item": "registrations", "status": "pending",
                                           "sent_on": None}]


def test_a_role_without_a_due_list_of_its_commune_is_refused(opened, api):
    assert api("GET", "/api/due", "kiemtra").status_code == 403


def notify(app, username: str) -> int:
    with app.extensions["intake"].sessions() as db:
        note = Notification(user_id=app.people[username], key="period.reminder_before", params={
            "kind": "H1", "year": 2024, "deadline": "2024-06-10", "items": ["reports"]})
        db.add(note)
        db.commit()
        return note.id


def test_notifications_are_the_callers_own_and_only_the_callers_are_marked_read(app, api):
    mine, theirs = notify(app, "donvi"), notify(app, "donvi2")
    listed = api("GET", "/api/notifications", "donvi").get_json()["items"]
    assert [(n["id"], n["read"]) for n in listed] == [(mine, False)]
    assert "10/6/2024" in listed[0]["text"]

    assert api("POST", "/api/notifications/read", "donvi",
               json={"notification_id": theirs}).get_json() == {"marked": 0}
    assert api("POST", "/api/notifications/read", "donvi",
               json={"notification_id": mine}).get_json() == {"marked": 1}
    assert api("GET", "/api/notifications", "donvi2").get_json()["items"][0]["read"] is False
    assert api("POST", "/api/notifications/read", "donvi2", json={}).get_json() == {"marked": 1}


@pytest.mark.parametrize("body", [{"notification_id": "1"}, {"notification_id": 1.5},
                                  {"notification_id": {"$gt": 0}}, {"all": True}])
def test_marking_read_with_a_bad_body_is_a_422(app, api, body):
    notify(app, "donvi")
    response = api("POST", "/api/notifications/read", "donvi", json=body)
    assert response.status_code == 422 and response.get_json()["fields"]
    assert api("GET", "/api/notifications", "donvi").get_json()["items"][0]["read"] is False


def test_a_reminder_goes_by_email_to_a_user_with_an_address_and_only_in_app_to_one_without(app):
    from flask_babel import force_locale

    from intake_service.periods import jobs, services

    with app.extensions["intake"].sessions() as db:
        db.get(User, app.people["donvi"]).email = "hoa@example.vn"
        db.commit()
    with_address, without = notify(app, "donvi"), notify(app, "donvi2")
    with app.app_context(), force_locale("vi"), app.extensions["intake"].sessions() as db:
        sent = jobs._message(db, services.Reminded(app.people["donvi"], with_address, 1), "dvk@x.vn")
        assert jobs._message(db, services.Reminded(app.people["donvi2"], without, 2), "x") is None
    assert sent["To"] == "hoa@example.vn" and "10/6/2024" in sent.get_content()
