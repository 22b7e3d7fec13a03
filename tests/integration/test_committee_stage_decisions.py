"""At the committee stage only the committee decides, by closing a vote: no member, chair or
administrator approves, returns or rejects an item there on their own."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review_service.queue.tables import AuditEntry, ReviewItem
from tests.integration.test_committee import at_committee, create_session, entry_ids, post, vote
from tests.support.people import bearer, cast
from tests.support.web import csrf

PEOPLE = cast("chutich", "bcd", "bcd2", "huyen", "quantri")


@pytest.fixture
def people():
    return PEOPLE


def the_item(review_app) -> ReviewItem:
    with review_app.extensions["review"].sessions() as db:
        return db.scalar(select(ReviewItem))


@pytest.mark.parametrize("username", ["bcd", "chutich", "quantri"])
@pytest.mark.parametrize("decision", ["approve", "return", "reject"])
def test_nobody_decides_a_committee_item_through_the_decision_endpoint(apps, username, decision):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    item = the_item(apps[1])
    refused = apps[1].test_client().post(
        f"/api/items/{item.id}/decision", headers=bearer(apps[0], username),
        json={"decision": decision, "comment": "Đủ điều kiện", "version": item.version},
    )
    assert refused.status_code == 403
    assert "phiên họp" in refused.get_json()["error"]  # said in the user's language: Vietnamese
    after = the_item(apps[1])
    assert (after.status, after.stage, after.version) == ("open", "committee", item.version)


def test_the_refusal_is_worded_in_english_for_an_english_reader(apps):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    item = the_item(apps[1])
    client = apps[1].test_client()
    client.set_cookie("lang", "en")
    refused = client.post(
        f"/api/items/{item.id}/decision", headers=bearer(apps[0], "bcd"),
        json={"decision": "approve", "version": item.version})
    assert refused.status_code == 403
    assert "committee's vote" in refused.get_json()["error"]


def test_bulk_approval_leaves_committee_items_to_the_vote(apps):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    item = the_item(apps[1])
    answer = apps[1].test_client().post(
        "/api/queue/approve", headers=bearer(apps[0], "quantri"),
        json={"items": [{"id": item.id, "version": item.version}]}).get_json()
    assert answer == {"approved": [], "refused": [{"id": item.id, "reason": "committee_vote"}]}
    assert the_item(apps[1]).status == "open"


def test_the_item_page_offers_no_decision_form_and_a_forged_one_is_refused(apps, person):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    item = the_item(apps[1])
    member = person("bcd")
    page = member.get(f"/items/{item.id}").get_data(as_text=True)
    assert f'action="/items/{item.id}/decision"' not in page
    forged = member.post(f"/items/{item.id}/decision", data={
        "csrf_token": csrf(page), "decision": "approve", "version": str(item.version)})
    assert forged.status_code == 403
    assert "phiên họp" in forged.get_data(as_text=True)
    with apps[1].extensions["review"].sessions() as db:
        assert db.scalars(select(AuditEntry.action)).all() == ["opened"]


def test_closing_the_vote_still_decides_the_item(apps, person):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    chair = person("chutich")
    session_id = create_session(chair, members=2)
    post(chair, f"/committee/{session_id}/open", f"/committee/{session_id}")
    entry = entry_ids(apps[1])["Bản Khe Ló không có ma túy"]
    for member in (chair, person("bcd")):
        assert vote(member, session_id, entry, "approve").status_code == 302
    post(chair, f"/committee/{session_id}/close", f"/committee/{session_id}")
    assert the_item(apps[1]).status == "approved"


def test_a_district_reviewer_still_decides_at_the_district_stage(apps):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    with apps[1].extensions["review"].uow() as uow:
        uow.session.scalar(select(ReviewItem)).stage = "district"
        uow.commit()
    item = the_item(apps[1])
    decided = apps[1].test_client().post(
        f"/api/items/{item.id}/decision", headers=bearer(apps[0], "huyen"),
        json={"decision": "approve", "version": item.version})
    assert decided.status_code == 200
    assert decided.get_json()["stage"] == "committee"
