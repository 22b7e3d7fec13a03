"""The reviewers' queue as a team uses it: filters, order, search, holding items, saved views, bulk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from review_service.queue import services as review_services
from review_service.queue.tables import AuditEntry, ReviewItem
from shared import events
from tests.integration.system import submitted_event
from tests.support.people import cast
from tests.support.web import csrf

PEOPLE = cast("xa", xa_b=("Vi Thị Nga", "commune_reviewer", "mon-son"),  # a second one in Môn Sơn
              ) | cast("xa2", "huyen")


@pytest.fixture
def people():
    return PEOPLE


@pytest.fixture
def reviewer(person):
    def signed_in(username: str):
        client = person(username)
        client.csrf_token = csrf(client.get("/queue").get_data(as_text=True))  # and is seen there
        return client
    return signed_in


def open_item(apps, submission_id: int, **payload) -> int:
    review = apps[1].extensions["review"]
    event = events.decode(submitted_event(submission_id, submitted_at=datetime.now(UTC), **payload))
    with review.uow() as uow:
        review_services.on_submitted(event, uow, review.chain_config)
        uow.commit()
    return item_of(apps, submission_id).id


def item_of(apps, submission_id: int) -> ReviewItem:
    with apps[1].extensions["review"].sessions() as db:
        return db.query(ReviewItem).filter_by(submission_id=submission_id).one()


def change(apps, item_id: int, **values) -> None:
    with apps[1].extensions["review"].sessions() as db:
        db.query(ReviewItem).filter_by(id=item_id).update(values)
        db.commit()


def titles(client, **query) -> list[str]:
    response = client.get("/api/queue", query_string=query)
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


def post(client, path: str, **form):
    return client.post(path, data={"csrf_token": client.csrf_token} | form)


def audit_actions(apps, item_id: int) -> list[tuple[str, str, str | None]]:
    with apps[1].extensions["review"].sessions() as db:
        entries = db.query(AuditEntry).filter_by(item_id=item_id).order_by(AuditEntry.id)
        return [(e.action, e.actor_name, e.comment) for e in entries]


@pytest.mark.parametrize(("query", "expected"), [
    ({}, ["Mô hình số 1", "Mô hình số 2", "Mô hình số 3", "Mô hình số 4"]),
    ({"field": "culture_society"}, ["Mô hình số 2"]),
    ({"subject_type": "collective"}, ["Mô hình số 3"]),
    ({"kind": "amendment"}, ["Mô hình số 4"]),
    ({"overdue": "1"}, ["Mô hình số 1"]),
    ({"commune": "chau-khe"}, ["Mô hình số 5"]),
    ({"assignee": "me"}, ["Mô hình số 2"]),
    ({"assignee": "none"}, ["Mô hình số 1", "Mô hình số 3", "Mô hình số 4"]),
])
def test_each_filter_narrows_the_queue(apps, reviewer, query, expected):
    first = open_item(apps, 1)
    second = open_item(apps, 2, field="culture_society")
    open_item(apps, 3, subject_type="collective")
    open_item(apps, 4, kind="amendment", model_id=1,
              amendment={"reason": "Sửa tên", "changes": []})
    open_item(apps, 5, commune_code="chau-khe", commune_name="Xã Châu Khê")
    change(apps, first, due_at=datetime.now(UTC) - timedelta(days=1))
    xa = reviewer("xa")
    assert post(xa, f"/items/{second}/claim", version="1").status_code == 302
    stage = {"stage": "commune"}
    if "commune" in query:  # a district reviewer picks a commune; a commune reviewer has one
        assert titles(reviewer("huyen"), **stage, **query) == []  # the district's commune stage
        assert titles(reviewer("xa2"), **stage, **query) == expected
    else:
        assert titles(xa, **stage, **query) == expected


def test_the_queue_is_sorted_oldest_newest_or_by_due_date(apps, reviewer):
    for number in (1, 2, 3):
        open_item(apps, number)
    now = datetime.now(UTC)
    change(apps, 1, opened_at=now - timedelta(days=3), due_at=now + timedelta(days=9))
    change(apps, 2, opened_at=now - timedelta(days=2), due_at=now + timedelta(days=1))
    change(apps, 3, opened_at=now - timedelta(days=1), due_at=now + timedelta(days=5))
    xa = reviewer("xa")
    assert titles(xa) == ["Mô hình số 1", "Mô hình số 2", "Mô hình số 3"]
    assert titles(xa, sort="newest") == ["Mô hình số 3", "Mô hình số 2", "Mô hình số 1"]
    assert titles(xa, sort="due") == ["Mô hình số 2", "Mô hình số 3", "Mô hình số 1"]


@pytest.mark.parametrize("typed", ["Môn Sơn", "mon son", "MÔN SƠN", "đuong mon", "sơn môn"])
def test_search_ignores_accents_and_case(apps, reviewer, typed):
    open_item(apps, 1, title="Hội LHPN xã Môn Sơn hiến đất làm đường môn")
    open_item(apps, 2, title="Chi đoàn bản Khe Ló")
    expected = [] if typed == "sơn môn" else ["Hội LHPN xã Môn Sơn hiến đất làm đường môn"]
    assert titles(reviewer("xa"), q=typed) == expected
    assert titles(reviewer("xa"), q="khe lo") == ["Chi đoàn bản Khe Ló"]


def test_claim_release_and_assign_are_each_recorded_in_the_audit_log(apps, reviewer):
    item_id = open_item(apps, 1)
    reviewer("xa_b")  # Nga has used the queue, so she is offered as a colleague
    xa = reviewer("xa")
    assert post(xa, f"/items/{item_id}/claim", version="1").status_code == 302
    page = xa.get(f"/items/{item_id}").get_data(as_text=True)
    assert 'id="release"' in page and "Vi Thị Nga" in page
    assert post(xa, f"/items/{item_id}/release", version="2").status_code == 302
    nga_id = 2  # users are created in PEOPLE's order
    assert post(xa, f"/items/{item_id}/assign", version="3",
                assignee_id=str(nga_id)).status_code == 302
    item = item_of(apps, 1)
    assert (item.assignee_id, item.assignee_name, item.version) == (nga_id, "Vi Thị Nga", 4)
    assert audit_actions(apps, item_id)[1:] == [
        ("claim", "Lương Văn Thắng", None), ("release", "Lương Văn Thắng", "Lương Văn Thắng"),
        ("assign", "Lương Văn Thắng", "Vi Thị Nga")]
    history = xa.get(f"/items/{item_id}", headers={"Cookie": "lang=en"}).get_data(as_text=True)
    assert "Đã giao cho Vi Thị Nga" in history


def test_a_claim_on_a_stale_version_is_refused_with_a_clear_message(apps, reviewer):
    item_id = open_item(apps, 1)
    xa, nga = reviewer("xa"), reviewer("xa_b")
    assert post(nga, f"/items/{item_id}/claim", version="1").status_code == 302
    refused = post(xa, f"/items/{item_id}/claim", version="1")
    assert refused.status_code == 409
    assert 'role="alert"' in refused.get_data(as_text=True)
    assert item_of(apps, 1).assignee_name == "Vi Thị Nga"
    assert [a for a, *_ in audit_actions(apps, item_id)].count("claim") == 1


def test_a_colleague_cannot_take_an_item_already_held(apps, reviewer):
    item_id = open_item(apps, 1)
    assert post(reviewer("xa_b"), f"/items/{item_id}/claim", version="1").status_code == 302
    assert post(reviewer("xa"), f"/items/{item_id}/claim", version="2").status_code == 409


def test_another_communes_reviewer_cannot_claim_and_a_district_reviewer_may_not_at_commune(
        apps, reviewer):
    item_id = open_item(apps, 1)
    assert post(reviewer("xa2"), f"/items/{item_id}/claim", version="1").status_code == 404
    assert post(reviewer("huyen"), f"/items/{item_id}/claim", version="1").status_code == 403
    assert item_of(apps, 1).assignee_id is None


def test_an_item_goes_only_to_a_colleague_of_the_same_role_and_area(apps, reviewer):
    item_id = open_item(apps, 1)
    reviewer("xa2")  # seen, but of Châu Khê
    xa = reviewer("xa")
    assert post(xa, f"/items/{item_id}/assign", version="1", assignee_id="3").status_code == 403
    assert post(xa, f"/items/{item_id}/assign", version="1", assignee_id="99").status_code == 422
    assert item_of(apps, 1).assignee_id is None


def test_saved_views_are_shared_within_the_team_but_not_across_areas(apps, reviewer):
    xa, nga, lan = reviewer("xa"), reviewer("xa_b"), reviewer("xa2")
    post(xa, "/views", name="Văn hoá quá hạn", query="field=culture_society&overdue=1&page=3",
         shared="1")
    post(xa, "/views", name="Của riêng tôi", query="assignee=me")
    names = [view["name"] for view in xa.get("/api/views").get_json()["items"]]
    assert sorted(names) == ["Của riêng tôi", "Văn hoá quá hạn"]
    shared = nga.get("/api/views").get_json()["items"]
    assert [view["name"] for view in shared] == ["Văn hoá quá hạn"]
    assert "Văn hoá quá hạn" in nga.get("/queue").get_data(as_text=True)
    assert lan.get("/api/views").get_json()["items"] == []
    with apps[1].extensions["review"].sessions() as db:
        from review_service.saved_views.tables import SavedView
        view = db.query(SavedView).filter_by(name="Văn hoá quá hạn").one()
    assert view.query == "field=culture_society&overdue=1"
    assert post(nga, f"/views/{view.id}/delete").status_code == 404
    assert post(xa, f"/views/{view.id}/delete").status_code == 302
    assert nga.get("/api/views").get_json()["items"] == []


def test_bulk_approve_approves_each_item_and_names_the_stale_one(apps, reviewer):
    ids = [open_item(apps, number) for number in (1, 2, 3)]
    xa, nga = reviewer("xa"), reviewer("xa_b")
    assert post(nga, f"/items/{ids[1]}/claim", version="1").status_code == 302  # now version 2
    response = xa.post("/queue/approve", data={
        "csrf_token": xa.csrf_token, "selected": [f"{i}:1" for i in ids]},
        headers={"Cookie": "lang=en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Đã duyệt: 2" in page
    assert 'data-item="2"' in page and "Có người đã thay đổi hồ sơ này sau khi bạn mở danh sách." in page
    assert [item_of(apps, n).stage for n in (1, 2, 3)] == ["district", "commune", "district"]
    assert [a for a, *_ in audit_actions(apps, ids[1])].count("approve") == 0
