"""The steering committee meets: a session's agenda, the members' votes, the results, the minutes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import select

from review_service.committee.tables import Vote
from review_service.queue import services as review_services
from review_service.queue.tables import AuditEntry, ReviewItem
from review_service.tables import outbox
from shared import events
from tests.integration.system import submitted_event
from tests.support.people import SECRET_KEY, cast
from tests.support.web import csrf

PEOPLE = cast("chutich", "bcd", "bcd2",
              **{"bcd-khac": ("Lô Văn Khác", "committee_member", "anh-son")},  # another district's
              ) | cast("huyen")


@pytest.fixture
def people():
    return PEOPLE


def at_committee(review_app, submission_id: int, title: str) -> None:
    """An item that commune and district have approved: open at the committee stage."""
    review = review_app.extensions["review"]
    event = events.decode(submitted_event(submission_id, title=title,
                                          submitted_at=datetime.now(UTC)))
    with review.uow() as uow:
        review_services.on_submitted(event, uow, review.chain_config)
        item = uow.session.scalar(select(ReviewItem).where(
            ReviewItem.submission_id == submission_id))
        item.stage = "committee"
        uow.commit()


def post(client, path: str, page: str, **form):
    """Send a form from ``page`` (a URL on the same client) with that page's CSRF token."""
    token = csrf(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **form})


def create_session(chair, members: int = 3) -> int:
    response = post(chair, "/committee", "/committee", title="Phiên họp quý IV năm 2026",
                    meeting_date="2026-12-15", member_count=str(members))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def entry_ids(review_app) -> dict[str, int]:
    from review_service.committee.tables import AgendaEntry

    with review_app.extensions["review"].sessions() as db:
        return {e.item.title: e.id for e in db.scalars(select(AgendaEntry))}


def vote(client, session_id: int, entry_id: int, choice: str, comment: str = ""):
    page = f"/committee/{session_id}"
    return post(client, f"{page}/entries/{entry_id}/vote", page, choice=choice, comment=comment)


def decision_events(review_app) -> list[dict]:
    with review_app.extensions["review"].sessions() as db:
        rows = db.execute(select(outbox.c.body).where(
            outbox.c.routing_key == events.REVIEW_DECISION_RECORDED)).scalars()
        return [json.loads(body) for body in rows]


def items(review_app) -> dict[str, ReviewItem]:
    with review_app.extensions["review"].sessions() as db:
        return {item.title: item for item in db.scalars(select(ReviewItem))}


def test_the_committee_votes_and_on_closing_models_are_approved_or_rejected(apps, person):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    at_committee(apps[1], 2, "Chi hội phụ nữ giúp nhau nuôi bò")
    chair, binh, thu = person("chutich"), person("bcd"), person("bcd2")
    session_id = create_session(chair)
    entries = entry_ids(apps[1])
    assert set(entries) == {"Bản Khe Ló không có ma túy", "Chi hội phụ nữ giúp nhau nuôi bò"}
    first, second = entries["Bản Khe Ló không có ma túy"], entries["Chi hội phụ nữ giúp nhau nuôi bò"]
    assert vote(binh, session_id, first, "approve").status_code == 409  # not open yet
    assert post(chair, f"/committee/{session_id}/open", f"/committee/{session_id}").status_code == 302

    for member, choices in ((chair, ("approve", "reject")), (binh, ("approve", "reject")),
                            (thu, ("reject", "abstain"))):
        assert vote(member, session_id, first, choices[0]).status_code == 302
        assert vote(member, session_id, second, choices[1], "Chưa có số liệu").status_code == 302
    page = binh.get(f"/committee/{session_id}").get_data(as_text=True)
    assert "my-vote approve" in page
    assert post(chair, f"/committee/{session_id}/close", f"/committee/{session_id}").status_code == 302

    found = items(apps[1])
    assert found["Bản Khe Ló không có ma túy"].status == "approved"
    assert found["Chi hội phụ nữ giúp nhau nuôi bò"].status == "rejected"
    decided = {e["payload"]["submission_id"]: e["payload"] for e in decision_events(apps[1])}
    assert decided[1]["outcome"] == "approved" and decided[1]["actor"]["name"] == "Lương Thị Ngọc"
    assert decided[2]["outcome"] == "rejected" and decided[2]["comment"] == "committee vote"
    with apps[1].extensions["review"].sessions() as db:
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "reject")).comment \
            == "committee vote"
    closed = chair.get(f"/committee/{session_id}").get_data(as_text=True)
    assert 'class="outcome approved"' in closed and 'class="outcome rejected"' in closed


def test_without_a_quorum_the_item_stays_open_for_the_next_session(apps, person):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    chair = person("chutich")
    session_id = create_session(chair, members=5)
    post(chair, f"/committee/{session_id}/open", f"/committee/{session_id}")
    entry = entry_ids(apps[1])["Bản Khe Ló không có ma túy"]
    vote(chair, session_id, entry, "approve")
    vote(person("bcd"), session_id, entry, "approve")
    post(chair, f"/committee/{session_id}/close", f"/committee/{session_id}")

    item = items(apps[1])["Bản Khe Ló không có ma túy"]
    assert (item.status, item.stage) == ("open", "committee")
    assert decision_events(apps[1]) == []
    assert "no_quorum" in chair.get(f"/committee/{session_id}").get_data(as_text=True)
    assert create_session(chair) != session_id  # it goes on the next session's agenda


def test_voting_again_changes_the_vote_instead_of_adding_one(apps, person):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    chair, binh = person("chutich"), person("bcd")
    session_id = create_session(chair)
    post(chair, f"/committee/{session_id}/open", f"/committee/{session_id}")
    entry = entry_ids(apps[1])["Bản Khe Ló không có ma túy"]
    vote(binh, session_id, entry, "reject")
    vote(binh, session_id, entry, "approve", "Đã xem lại hồ sơ")
    with apps[1].extensions["review"].sessions() as db:
        votes = list(db.scalars(select(Vote)))
        trail = [(a.actor_name, a.action, a.comment) for a in db.scalars(
            select(AuditEntry).where(AuditEntry.action.like("vote_%")).order_by(AuditEntry.id))]
    assert [(v.member_name, v.choice, v.comment) for v in votes] == [
        ("Moong Văn Bình", "approve", "Đã xem lại hồ sơ")]
    assert trail == [("Moong Văn Bình", "vote_reject", None),  # both votes stay in the audit log
                     ("Moong Văn Bình", "vote_approve", "Đã xem lại hồ sơ")]


def test_another_districts_member_sees_nothing_and_a_reviewer_is_refused(apps, person):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    chair = person("chutich")
    session_id = create_session(chair)
    post(chair, f"/committee/{session_id}/open", f"/committee/{session_id}")
    entry = entry_ids(apps[1])["Bản Khe Ló không có ma túy"]
    other, reviewer = person("bcd-khac"), person("huyen")
    assert other.get(f"/committee/{session_id}").status_code == 404
    assert other.get(f"/committee/{session_id}/minutes.docx").status_code == 404
    assert "Phiên họp quý IV" not in other.get("/committee").get_data(as_text=True)
    assert vote(other, session_id, entry, "approve").status_code == 404
    assert reviewer.get("/committee").status_code == 403
    assert reviewer.get(f"/committee/{session_id}").status_code == 403
    # A member votes but neither opens nor closes; nobody votes twice by changing hands.
    binh = person("bcd")
    assert post(binh, f"/committee/{session_id}/close", f"/committee/{session_id}").status_code == 403
    assert post(binh, "/committee", "/committee", title="Phiên của tôi", meeting_date="2026-12-01",
                member_count="3").status_code == 403


def test_the_minutes_name_the_members_the_models_and_the_tallies(apps, person):
    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    chair, binh, thu = person("chutich"), person("bcd"), person("bcd2")
    session_id = create_session(chair)
    page = f"/committee/{session_id}"
    entry = entry_ids(apps[1])["Bản Khe Ló không có ma túy"]
    post(chair, f"{page}/entries/{entry}/type", page, decision_type="exemplar")
    post(chair, f"{page}/open", page)
    vote(chair, session_id, entry, "approve")
    vote(binh, session_id, entry, "approve")
    vote(thu, session_id, entry, "abstain")
    post(chair, f"{page}/close", page)
    assert items(apps[1])["Bản Khe Ló không có ma túy"].exemplar is True

    response = thu.get(f"{page}/minutes.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    document = Document(BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    heading = document.tables[0].rows[0].cells[1].text  # the steering committee's, a Party body's
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in heading and "BIÊN BẢN" in text
    assert "Họp Ban Chỉ đạo phong trào thi đua “Dân vận khéo”" in text
    for name in ("Lương Thị Ngọc", "Moong Văn Bình", "Vi Thị Thu"):
        assert name in text
    rows = [[cell.text for cell in row.cells] for row in document.tables[1].rows]  # after the heading
    assert rows[1][1] == "Bản Khe Ló không có ma túy"
    assert rows[1][4:8] == ["2", "0", "1", "Thông qua; chọn làm điển hình"]


def test_the_api_runs_a_session_with_bearer_tokens(apps):
    from intake_service.accounts import services as accounts
    from intake_service.accounts.tables import User
    from shared import tokens

    def bearer(username: str) -> dict:
        with apps[0].extensions["intake"].sessions() as db:
            user = db.scalar(select(User).where(User.username == username))
            return {"Authorization": f"Bearer {tokens.issue(SECRET_KEY, accounts.identity_of(user))}"}

    at_committee(apps[1], 1, "Bản Khe Ló không có ma túy")
    client = apps[1].test_client()
    created = client.post("/api/committee/sessions", headers=bearer("chutich"), json={
        "title": "Phiên họp tháng 12", "meeting_date": "2026-12-15", "member_count": 2})
    assert created.status_code == 201, created.get_json()
    session = created.get_json()
    base = f"/api/committee/sessions/{session['id']}"
    assert client.post(f"{base}/open", headers=bearer("chutich")).status_code == 200
    entry = session["agenda"][0]["id"]
    for who in ("chutich", "bcd"):
        cast = client.post(f"{base}/entries/{entry}/vote", headers=bearer(who),
                           json={"choice": "approve"})
        assert cast.status_code == 200, cast.get_json()
    assert client.post(f"{base}/entries/{entry}/vote", headers=bearer("bcd-khac"),
                       json={"choice": "approve"}).status_code == 404
    assert client.post(f"{base}/close", headers=bearer("bcd")).status_code == 403
    closed = client.post(f"{base}/close", headers=bearer("chutich")).get_json()
    assert closed["agenda"][0]["outcome"] == "approved"
    assert closed["agenda"][0]["tallies"] == {"approve": 2, "reject": 0, "abstain": 0}
