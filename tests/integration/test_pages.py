"""The pages, as units and reviewers use them: sign-in, forms that keep what was typed, scoping."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

import pytest

from intake_service.submissions.tables import Submission
from review_service.queue import services as review_services
from shared import events
from tests.integration.system import submitted_event
from tests.support.people import PASSWORD, cast, sign_in
from tests.support.web import csrf

PEOPLE = cast("donvi", "donvi2", "xa", "xa2", "huyen", "kiemtra")
VALID = {"title": "Hội Nông dân xã Môn Sơn giúp nhau làm kinh tế", "field": "economy",
         "subject_type": "collective", "commune_code": "mon-son"}


@pytest.fixture
def people():
    return PEOPLE


def form(client, **values) -> dict:
    page = client.get("/submissions/new").get_data(as_text=True)
    return {"csrf_token": csrf(page), "action": "draft"} | VALID | values


def test_a_wrong_password_is_refused_in_vietnamese_and_repeated_failures_pause_the_account(apps):
    client = apps[0].test_client()
    refused = sign_in(client, "donvi", "sai")
    assert refused.status_code == 401
    assert "không đúng" in refused.get_data(as_text=True)
    for _ in range(4):
        sign_in(client, "donvi", "sai")
    paused = sign_in(client, "donvi", PASSWORD)
    assert paused.status_code == 429


def test_pages_ask_anonymous_visitors_to_sign_in(apps):
    assert apps[0].test_client().get("/submissions").status_code == 302
    assert apps[1].test_client().get("/queue").headers["Location"].startswith(
        "http://127.0.0.1:5000/login")


def test_a_form_posted_without_its_csrf_token_is_refused(unit):
    response = unit.post("/submissions", data=VALID | {"action": "draft"})
    assert response.status_code == 400


def test_one_sign_in_at_intake_is_honoured_by_review(apps):
    client = apps[0].test_client()
    sign_in(client, "xa")
    cookie = client.get_cookie("dvk_session")
    reviewer = apps[1].test_client()
    reviewer.set_cookie("dvk_session", cookie.value)
    assert reviewer.get("/queue").status_code == 200


@pytest.mark.parametrize(("username", "opens"), [("xa", "/queue"), ("kiemtra", "/inspections")])
def test_the_review_service_opens_on_each_persons_own_work(apps, username, opens):
    client = apps[0].test_client()
    sign_in(client, username)
    visitor = apps[1].test_client()
    visitor.set_cookie("dvk_session", client.get_cookie("dvk_session").value)
    assert visitor.get("/").headers["Location"] == opens
    assert visitor.get(opens).status_code == 200


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": ""}, "title", "từ 5 đến 200"),
    ({"title": "Ngắn"}, "title", "từ 5 đến 200"),
    ({"title": "x" * 5000}, "title", "từ 5 đến 200"),
    ({"field": "thể thao"}, "field", "lĩnh vực"),
    ({"subject_type": "group"}, "subject_type", "Tập thể"),
    ({"commune_code": "<script>"}, "commune_code", "xã"),
])
def test_a_bad_field_gets_a_specific_message_and_everything_typed_is_kept(unit, changes, field,
                                                                          message):
    values = form(unit, **changes)
    response = unit.post("/submissions", data=values)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message.lower() in page.lower()
    assert f'id="{field}"' in page and 'aria-invalid="true"' in page
    if field != "title":
        assert VALID["title"] in page


def test_a_name_with_a_script_tag_is_stored_as_text_and_shown_escaped(unit):
    values = form(unit, title="<script>alert('x')</script> Mô hình")
    response = unit.post("/submissions", data=values, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_a_name_typed_in_decomposed_unicode_is_stored_composed_and_found_as_similar(apps, unit):
    decomposed = unicodedata.normalize("NFD", VALID["title"])
    unit.post("/submissions", data=form(unit, title=decomposed))
    with apps[0].extensions["intake"].sessions() as db:
        assert db.query(Submission).one().title == VALID["title"]
    check = unit.post("/submissions/check/title", data={
        "csrf_token": form(unit)["csrf_token"], "title": "HOI NONG DAN XA MON SON GIUP NHAU LAM KINH TE",
        "commune_code": "mon-son"})
    assert VALID["title"] in check.get_data(as_text=True)


def test_a_unit_cannot_register_for_another_commune_nor_see_another_units_submission(apps, unit):
    assert unit.post("/submissions", data=form(unit, commune_code="chau-khe")).status_code == 403
    unit.post("/submissions", data=form(unit))
    other = apps[0].test_client()
    sign_in(other, "donvi2")
    assert other.get("/submissions/1").status_code == 404
    assert other.get("/api/submissions/1").status_code == 404


def test_an_oversized_request_is_refused_with_a_message(unit):
    response = unit.post("/submissions", data=form(unit, narrative="x" * 2_000_000))
    assert response.status_code == 413


def open_item(review_app, submission_id: int = 1, commune: str = "mon-son") -> None:
    review = review_app.extensions["review"]
    event = events.decode(submitted_event(submission_id, commune_code=commune,
                                          submitted_at=datetime.now(UTC)))
    with review.uow() as uow:
        review_services.on_submitted(event, uow, review.chain_config)
        uow.commit()


def test_a_commune_reviewer_sees_only_their_communes_queue(apps, person):
    open_item(apps[1])
    assert "Mô hình số 1" in person("xa").get("/queue").get_data(as_text=True)
    other = person("xa2")
    assert "Mô hình số 1" not in other.get("/queue").get_data(as_text=True)
    assert other.get("/items/1").status_code == 404


def test_returning_without_a_comment_keeps_the_form_and_says_what_is_missing(apps, person):
    open_item(apps[1])
    xa = person("xa")
    page = xa.get("/items/1").get_data(as_text=True)
    response = xa.post("/items/1/decision", data={"csrf_token": csrf(page), "decision": "return",
                                                  "comment": " ", "version": "1"})
    assert response.status_code == 422
    assert "ghi ý kiến" in response.get_data(as_text=True)


def test_a_decision_on_an_item_someone_else_already_decided_is_refused(apps, person):
    open_item(apps[1])
    xa = person("xa")
    token = csrf(xa.get("/items/1").get_data(as_text=True))
    first = xa.post("/items/1/decision", data={"csrf_token": token, "decision": "approve",
                                               "version": "1"})
    assert first.status_code == 302
    huyen = person("huyen")
    own_token = csrf(huyen.get("/items/1").get_data(as_text=True))
    stale = huyen.post("/items/1/decision", data={"csrf_token": own_token, "decision": "approve",
                                                  "version": "1"})
    assert stale.status_code == 409


def test_what_a_unit_types_is_kept_on_the_server_until_the_form_is_saved(apps, unit):
    token = form(unit)["csrf_token"]
    kept = unit.post("/submissions/autosave/registration-new",
                     data={"csrf_token": token, "title": "Mô hình đang gõ dở", "field": "economy",
                           "password": "not a form field"})
    assert kept.status_code == 200 and "nháp" in kept.get_data(as_text=True)

    page = unit.get("/submissions/new").get_data(as_text=True)
    assert 'value="Mô hình đang gõ dở"' in page

    other = apps[0].test_client()
    sign_in(other, "donvi2")
    assert "Mô hình đang gõ dở" not in other.get("/submissions/new").get_data(as_text=True)

    unit.post("/submissions", data=form(unit, title="Mô hình đã lưu xong"))
    assert "Mô hình đang gõ dở" not in unit.get("/submissions/new").get_data(as_text=True)


@pytest.mark.parametrize("key", ["anything", "registration-", "registration-1;drop", "../x"])
def test_autosave_accepts_only_known_forms(unit, key):
    token = form(unit)["csrf_token"]
    assert unit.post(f"/submissions/autosave/{key}", data={"csrf_token": token}).status_code == 404


def test_a_bad_edit_re_renders_the_same_submission_not_a_new_one(apps, unit):
    unit.post("/submissions", data=form(unit))
    page = unit.get("/submissions/1/edit").get_data(as_text=True)
    response = unit.post("/submissions/1", data={"csrf_token": csrf(page), "action": "draft"}
                         | VALID | {"title": "x"})
    assert response.status_code == 422
    assert 'action="/submissions/1"' in response.get_data(as_text=True)


def test_a_resubmission_shows_the_reviewer_what_the_unit_changed(apps, person):
    review = apps[1].extensions["review"]
    first = {"details": {"objectives": "10 hộ", "funding_vnd": 50_000_000}}

    def deliver(version: int, **payload) -> None:
        with review.uow() as uow:
            review_services.on_submitted(events.decode(submitted_event(
                1, version=version, contract=2, submitted_at=datetime.now(UTC), **payload)), uow,
                review.chain_config)
            uow.commit()

    deliver(2, **first)
    xa = person("xa")
    page = xa.get("/items/1").get_data(as_text=True)
    assert 'id="resubmission-diff"' not in page  # a first submission has nothing to compare
    version = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    xa.post("/items/1/decision", data={"csrf_token": csrf(page), "decision": "return",
                                       "comment": "Ghi rõ chỉ tiêu", "version": version})
    deliver(4, title="Mô hình số 1, có chỉ tiêu",
            details={"objectives": "20 hộ", "funding_vnd": 1_139_000_000})
    page = xa.get("/items/1").get_data(as_text=True)
    changed = re.findall(r'<tr data-change="(\w+)">', page)
    assert changed == ["title", "objectives", "funding_vnd"]
    assert "1.139.000.000" in page and "50.000.000" in page
