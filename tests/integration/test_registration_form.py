"""A registration carries what real DVK registrations carry, and the reviewer sees it.

Bad input gets a specific message (in the user's language: Vietnamese once the catalog has it)
and a 422 that keeps everything typed; good input is shown back the Vietnamese way, at intake and,
after the submitted event (v2) reaches review, on the reviewer's item page.
"""

from __future__ import annotations

import json
import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from intake_service.submissions.schemas import FUNDING_ERRORS, LABOUR_ERRORS, PERSON_NEEDED
from intake_service.tables import outbox
from review_service.queue import services as review_services
from shared import events
from tests.integration.system import submitted_event
from tests.support.people import bearer, cast
from tests.support.web import csrf

VALID = {
    "title": "Hội Phụ nữ xã Môn Sơn vận động hiến đất làm đường", "field": "new_rural",
    "subject_type": "collective", "commune_code": "mon-son",
    "unit_name": "Hội Phụ nữ xã Môn Sơn", "villages": "Bản Xiềng, Bản Cống",
    "situation": "Đường vào bản lầy lội mùa mưa.", "objectives": "Làm 2 km đường bê tông.",
    "activities": "Họp dân; vận động hiến đất.", "beneficiaries": "120 hộ dân hai bản.",
    "forces": "Hội viên phụ nữ, đoàn viên.", "funding_vnd": "1.139.000.000",
    "labour_days": "8.524", "timeline": "Tháng 6 đến tháng 12/2024.",
    "expected_outputs": "2 km đường mới.", "sustainability": "Nhân rộng ra các bản khác.",
}
SECTION_TOO_LONG = "Keep this section to at most 4,000 characters."


@pytest.fixture
def people():
    return cast("donvi", "xa")


@pytest.fixture
def reviewer(person):
    """Môn Sơn's commune reviewer, at review."""
    return person("xa")


def form(client, **values) -> dict:
    page = client.get("/submissions/new").get_data(as_text=True)
    return {"csrf_token": csrf(page), "action": "draft"} | VALID | values


def in_users_language(app, message) -> str:
    """The message as the page renders it: Vietnamese by default, escaped as HTML."""
    from flask_babel import gettext

    with app.test_request_context("/"):
        text = str(message)  # a lazy message translates itself here
        assert text, "a message to look for"
        return str(escape(gettext(text)))


def test_the_form_groups_the_details_and_asks_for_each_one(unit):
    page = unit.get("/submissions/new").get_data(as_text=True)
    assert page.count("<fieldset>") >= 4
    for name in ("unit_name", "person_name", "villages", "funding_vnd", "labour_days"):
        assert f'<input id="{name}" name="{name}"' in page
        assert f'hx-post="/submissions/check/{name}' in page
    for name in ("situation", "objectives", "activities", "beneficiaries", "forces", "timeline",
                 "expected_outputs", "sustainability"):
        assert f'<textarea id="{name}" name="{name}"' in page


@pytest.mark.parametrize(("changes", "field", "message"), [
    pytest.param({"funding_vnd": "-1.000.000"}, "funding_vnd", FUNDING_ERRORS["negative"],
                 id="negative-money"),
    pytest.param({"funding_vnd": "1,5"}, "funding_vnd", FUNDING_ERRORS["fraction"],
                 id="fraction-of-a-dong"),
    pytest.param({"funding_vnd": "10.000.000.000.000.000"}, "funding_vnd",
                 FUNDING_ERRORS["too_large"], id="huge-money"),
    pytest.param({"funding_vnd": "một tỷ"}, "funding_vnd", FUNDING_ERRORS["format"],
                 id="money-in-words"),
    pytest.param({"labour_days": "tám nghìn"}, "labour_days", LABOUR_ERRORS["format"],
                 id="text-in-labour-days"),
    pytest.param({"labour_days": "99.999.999.999"}, "labour_days", LABOUR_ERRORS["too_large"],
                 id="huge-labour-days"),
    pytest.param({"labour_days": "-3"}, "labour_days", LABOUR_ERRORS["negative"],
                 id="negative-labour-days"),
    pytest.param({"subject_type": "individual", "person_name": ""}, "person_name", PERSON_NEEDED,
                 id="individual-without-person"),
    pytest.param({"objectives": "x" * 5000}, "objectives", SECTION_TOO_LONG,
                 id="section-of-5000-chars"),
])
def test_a_bad_detail_gets_a_specific_message_and_everything_typed_is_kept(apps, unit, changes,
                                                                          field, message):
    response = unit.post("/submissions", data=form(unit, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    feedback = page.split(f'id="{field}-feedback"', 1)[1].split("</div>", 1)[0]
    assert in_users_language(apps[0], message) in feedback
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page, re.S)
    for name, value in (VALID | changes).items():
        if name not in ("field", "subject_type", "commune_code"):
            assert str(escape(value)) in page, name


def test_inline_validation_checks_a_detail_as_it_is_typed(apps, unit):
    token = form(unit)["csrf_token"]
    money = unit.post("/submissions/check/funding_vnd", data={"csrf_token": token,
                                                              "funding_vnd": "1,5"})
    assert in_users_language(apps[0], FUNDING_ERRORS["fraction"]) in money.get_data(as_text=True)
    person = unit.post("/submissions/check/person_name", data={
        "csrf_token": token, "person_name": "", "subject_type": "individual"})
    assert in_users_language(apps[0], PERSON_NEEDED) in person.get_data(as_text=True)
    fine = unit.post("/submissions/check/labour_days", data={"csrf_token": token,
                                                             "labour_days": "8.524"})
    assert "field-error" not in fine.get_data(as_text=True)


def test_a_good_registration_shows_its_details_the_vietnamese_way(unit):
    response = unit.post("/submissions", data=form(unit), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1.139.000.000 đ" in page and "8.524" in page
    assert VALID["unit_name"] in page and VALID["sustainability"] in page
    edit = unit.get("/submissions/1/edit").get_data(as_text=True)
    assert 'value="1.139.000.000"' in edit and 'value="8.524"' in edit


def test_an_individual_registration_names_its_person(unit):
    values = form(unit, subject_type="individual", person_name="Lô Văn Hùng")
    page = unit.post("/submissions", data=values, follow_redirects=True).get_data(as_text=True)
    assert "Lô Văn Hùng" in page


def test_the_api_takes_and_returns_the_details(apps):
    client, auth = apps[0].test_client(), bearer(apps[0], "donvi")
    body = {key: value for key, value in VALID.items()} | {"funding_vnd": 1_139_000_000}
    created = client.post("/api/submissions", json=body, headers=auth)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["funding_vnd"] == 1_139_000_000
    assert created.get_json()["labour_days"] == 8524
    refused = client.post("/api/submissions", json=body | {"funding_vnd": -5}, headers=auth)
    assert refused.status_code == 422 and list(refused.get_json()["fields"]) == ["funding_vnd"]


def _submitted_body(intake_app) -> dict:
    with intake_app.extensions["intake"].sessions() as db:
        rows = db.execute(select(outbox.c.body).where(
            outbox.c.routing_key == events.SUBMISSION_SUBMITTED)).scalars().all()
    assert len(rows) == 1
    return json.loads(rows[0])


def _deliver(review_app, body: dict) -> None:
    review = review_app.extensions["review"]
    with review.uow() as uow:
        review_services.on_submitted(events.decode(body), uow, review.chain_config)
        uow.commit()


def test_the_reviewer_sees_what_was_registered(apps, unit, reviewer):
    unit.post("/submissions", data=form(unit, action="submit"))
    body = _submitted_body(apps[0])
    assert body["version"] == 3 and body["payload"]["details"]["funding_vnd"] == 1_139_000_000
    _deliver(apps[1], body)
    page = reviewer.get("/items/1").get_data(as_text=True)
    assert "1.139.000.000 đ" in page and "8.524" in page
    for name in ("unit_name", "villages", "situation", "objectives", "expected_outputs"):
        assert VALID[name] in page, name


def test_an_item_announced_by_a_v1_event_still_opens_without_details(apps, reviewer):
    _deliver(apps[1], submitted_event(1))
    response = reviewer.get("/items/1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Mô hình số 1" in page and 'id="registration-details"' not in page
