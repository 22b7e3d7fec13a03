"""Award nominations: the committee chooses an exemplar and a nomination is proposed, inspected,
submitted and decided — or refused, returned or dropped — and its dossier is made by an rq job
(run here by a real worker) as DOCX, PDF and an XLSX list. Runs on the embedded defaults and on
real PostgreSQL, RabbitMQ and Redis."""

from __future__ import annotations

import functools
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from intake_service.accounts import services as accounts
from intake_service.accounts.tables import User
from review_service.inspections.domain import InspectionConcluded
from review_service.inspections.tables import InspectionTask
from review_service.nominations.tables import Nomination, NominationEvent
from review_service.queue import services as review_services
from review_service.queue.tables import ReviewItem
from review_service.tables import outbox
from shared import events, tokens
from shared.identity import Identity
from tests.conftest import ENGINE_KINDS, require_engines
from tests.integration.system import submitted_event
from tests.support.engines import drop_databases, environment
from tests.support.jobs import run_jobs
from tests.support.people import SECRET_KEY, at_review, cast
from tests.support.web import csrf, running_apps

PEOPLE = cast("chutich", "bcd", "bcd2", "huyen",
              **{"huyen-khac": ("Lô Văn Khác", "district_reviewer", "anh-son")},  # another district's
              ) | cast("quantri", "donvi")
WOMEN_UNION = "Hội LHPN xã Môn Sơn"
ROAD = "Hội LHPN xã Môn Sơn vận động hiến đất làm đường"
FOREST = "Chi đoàn bản Khe Choăng giữ rừng đầu nguồn"
INSPECTOR = Identity(id=90, name="Đoàn kiểm tra số 1", role="inspector", scope="con-cuong")


@pytest.fixture(params=ENGINE_KINDS)
def apps(request, tmp_path, monkeypatch):
    """Both apps on one kind of engines; the variables are in the environment too, for the job."""
    require_engines(request.param)
    env = environment(request.param, tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        with running_apps(tmp_path, PEOPLE, env) as both:
            yield both
    finally:
        drop_databases(env)


@pytest.fixture
def person(apps):
    """``person(username)``: at review, signed in at intake, reading English."""
    return functools.partial(at_review, apps, lang="en")


def post(client, path: str, page: str, **form):
    """Send a form from ``page`` with that page's CSRF token."""
    token = csrf(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **form})


def receive(review_app, submission_id: int, title: str, **payload) -> None:
    review = review_app.extensions["review"]
    event = events.decode(submitted_event(
        submission_id, contract=3, title=title, submitted_at=datetime.now(UTC),
        **({"details": {}, "model_id": None, "amendment": None, "report": None} | payload)))
    with review.uow() as uow:
        review_services.on_submitted(event, uow, review.chain_config)
        uow.commit()


def at_committee(review_app, submission_id: int, title: str, **payload) -> None:
    """A registration that commune and district have approved: open at the committee stage."""
    receive(review_app, submission_id, title, **payload)
    with review_app.extensions["review"].uow() as uow:
        item = uow.session.scalar(select(ReviewItem).where(ReviewItem.submission_id == submission_id))
        item.stage = "committee"
        uow.commit()


def choose_exemplars(apps, person, *titles: str) -> None:
    """The chair proposes the titles as exemplars; all three members approve; the vote closes."""
    chair = person("chutich")
    response = post(chair, "/committee", "/committee", title="Phiên họp quý IV năm 2026",
                    meeting_date="2026-11-20", member_count="3")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = response.headers["Location"].removeprefix("http://localhost")
    from review_service.committee.tables import AgendaEntry

    with apps[1].extensions["review"].sessions() as db:
        entries = {e.item.title: e.id for e in db.scalars(select(AgendaEntry))}
    for title in titles:
        post(chair, f"{page}/entries/{entries[title]}/type", page, decision_type="exemplar")
    post(chair, f"{page}/open", page)
    for member in (chair, person("bcd"), person("bcd2")):
        for title in titles:
            post(member, f"{page}/entries/{entries[title]}/vote", page, choice="approve")
    assert post(chair, f"{page}/close", page).status_code == 302


def nominations(review_app) -> dict[str, Nomination]:
    with review_app.extensions["review"].sessions() as db:
        return {n.subject_name: n for n in db.scalars(select(Nomination).order_by(Nomination.id))}


def sent(review_app, event_type: str) -> list[dict]:
    with review_app.extensions["review"].sessions() as db:
        rows = db.scalars(select(outbox.c.body).where(outbox.c.routing_key == event_type)
                          .order_by(outbox.c.id))
        return [events.decode(json.loads(body)).payload for body in rows]


def conclude(review_app, nomination_id: int, outcome: str, findings: str = "") -> None:
    """What the inspections do when a team concludes its check of a nominated model: the task is
    concluded and the nomination told (through the bus), in one transaction."""
    with review_app.extensions["review"].uow() as uow:
        task = uow.session.scalar(select(InspectionTask).where(
            InspectionTask.nomination_id == nomination_id))
        task.status, task.outcome, task.findings = "concluded", outcome, findings
        uow.raise_event(InspectionConcluded(task_id=task.id, nomination_id=nomination_id,
                                            outcome=outcome, findings=findings, actor=INSPECTOR))
        uow.commit()


def page_of(client, nomination_id: int) -> str:
    return client.get(f"/nominations/{nomination_id}").get_data(as_text=True)


def step(client, nomination_id: int, action: str, **form):
    page = f"/nominations/{nomination_id}"
    return post(client, f"{page}/{action}", page, **form)


def exemplar(apps, person) -> Nomination:
    at_committee(apps[1], 1, ROAD, subject_type="collective",
                 details={"unit_name": WOMEN_UNION, "objectives": "Mở rộng 3 km đường bê tông",
                          "funding_vnd": 1139000000, "labour_days": 8524})
    choose_exemplars(apps, person, ROAD)
    return nominations(apps[1])[WOMEN_UNION]


# ---- from the committee's decision --------------------------------------------------------


def test_an_exemplar_proposes_a_nomination_announced_in_the_same_transaction(apps, person):
    nomination = exemplar(apps, person)

    assert nomination.models == [{"model_id": 1, "item_id": nomination.item_id, "title": ROAD}]
    assert (nomination.subject_type, nomination.commune_code) == ("collective", "mon-son")
    assert (nomination.award_form, nomination.level, nomination.commendation_type) == (
        "giay_khen", "district", "thematic")
    assert nomination.status == "awaiting_verification"  # the inspections were asked at once
    with apps[1].extensions["review"].sessions() as db:
        task = db.scalar(select(InspectionTask).where(InspectionTask.nomination_id == nomination.id))
        trail = [(e.action, e.from_status, e.to_status, e.actor_name) for e in db.scalars(
            select(NominationEvent).order_by(NominationEvent.id))]
    assert task is not None and task.item_id == nomination.item_id
    assert trail == [("propose", None, "proposed", "Lương Thị Ngọc"),
                     ("request_inspection", "proposed", "awaiting_verification", "Lương Thị Ngọc")]
    [marked] = sent(apps[1], events.EXEMPLAR_MARKED)
    assert (marked["model_id"], marked["submission_id"], marked["actor"]["name"]) == (
        1, 1, "Lương Thị Ngọc")
    changes = sent(apps[1], events.NOMINATION_CHANGED)
    assert [(c["status"], c["version"]) for c in changes] == [
        ("proposed", 1), ("awaiting_verification", 2)]
    assert changes[-1]["model_ids"] == [1] and changes[-1]["subject_name"] == WOMEN_UNION

    listed = person("bcd").get("/nominations").get_data(as_text=True)
    assert WOMEN_UNION in listed and "Awaiting verification" in listed
    assert 'id="make-dossier"' not in listed  # a member sees, the chair and the district act


# ---- the lifecycle ------------------------------------------------------------------------


def test_submitting_waits_for_verification_and_eligibility_then_the_decision_is_recorded(
        apps, person):
    nomination = exemplar(apps, person)
    mai, admin = person("huyen"), person("quantri")

    refused = step(mai, nomination.id, "submit", version=str(nomination.version))
    assert refused.status_code == 409
    assert "the inspection has not verified the model" in refused.get_data(as_text=True)

    conclude(apps[1], nomination.id, "verified", "Mô hình hoạt động đúng như đăng ký.")
    assert nominations(apps[1])[WOMEN_UNION].status == "verified"
    page = page_of(mai, nomination.id)
    assert 'id="submit-for-decision"' in page and "Mô hình hoạt động đúng như đăng ký." in page

    assert step(mai, nomination.id, "ineligible", flag_reason="Đang xem xét").status_code == 403
    assert step(admin, nomination.id, "ineligible", flag_reason="").status_code == 422
    flagged = step(admin, nomination.id, "ineligible", flag_reason="Chi hội đang bị xem xét kỷ luật")
    assert flagged.status_code == 303
    assert 'id="submit-for-decision"' not in page_of(mai, nomination.id)
    refused = step(mai, nomination.id, "submit")
    assert refused.status_code == 409
    assert "flagged ineligible: Chi hội đang bị xem xét kỷ luật" in refused.get_data(as_text=True)
    assert step(admin, nomination.id, "ineligible/clear").status_code == 303

    assert step(mai, nomination.id, "submit").status_code == 303
    typed = step(mai, nomination.id, "decision", decision_number="125/QĐ-UBND",
                 decision_date="31/02/2026", signer="Vi Văn Sơn")
    assert typed.status_code == 422
    answer = typed.get_data(as_text=True)
    assert "Give the decision date as dd/mm/yyyy" in answer
    assert 'value="125/QĐ-UBND"' in answer and 'value="Vi Văn Sơn"' in answer  # nothing lost
    assert step(mai, nomination.id, "decision", decision_number="125/QĐ-UBND",
                decision_date="05/11/2026", signer="Vi Văn Sơn").status_code == 303

    decided = nominations(apps[1])[WOMEN_UNION]
    assert (decided.status, decided.decision_number, decided.decision_date, decided.signer) == (
        "decided", "125/QĐ-UBND", date(2026, 11, 5), "Vi Văn Sơn")
    assert "No. 125/QĐ-UBND of 5/11/2026, signed by Vi Văn Sơn" in page_of(mai, nomination.id)
    last = sent(apps[1], events.NOMINATION_CHANGED)[-1]
    assert (last["status"], last["decision_number"], last["decision_date"], last["signer"]) == (
        "decided", "125/QĐ-UBND", date(2026, 11, 5), "Vi Văn Sơn")
    with apps[1].extensions["review"].sessions() as db:
        actions = [e.action for e in db.scalars(select(NominationEvent).order_by(NominationEvent.id))]
    assert actions == ["propose", "request_inspection", "verify", "flag_ineligible",
                       "clear_ineligible", "submit", "decide"]
    assert [c["version"] for c in sent(apps[1], events.NOMINATION_CHANGED)] == list(range(1, 8))
    assert step(mai, nomination.id, "drop", reason="Muộn").status_code == 409  # final


def test_a_model_not_verified_returns_to_the_committee_with_the_findings(apps, person):
    nomination = exemplar(apps, person)
    chair = person("chutich")
    conclude(apps[1], nomination.id, "not_verified", "Đường mới làm được 1 km, không phải 3 km.")

    returned = nominations(apps[1])[WOMEN_UNION]
    assert (returned.status, returned.returned, returned.inspection_outcome) == (
        "proposed", True, "not_verified")
    page = page_of(chair, nomination.id)
    assert 'id="returned"' in page and "Đường mới làm được 1 km, không phải 3 km." in page
    refused = step(chair, nomination.id, "submit")
    assert refused.status_code == 409 and "the inspection did not verify the model" in \
        refused.get_data(as_text=True)
    last = sent(apps[1], events.NOMINATION_CHANGED)[-1]
    assert (last["status"], last["reason"]) == ("proposed", "Đường mới làm được 1 km, không phải 3 km.")

    # The committee answers with corrected details and sends it for a new inspection, or drops it.
    edited = step(chair, nomination.id, "details", award_form="bang_khen", level="province",
                  commendation_type="thematic", reasons="Lý do", achievements="Làm 1 km đường")
    assert edited.status_code == 303
    assert nominations(apps[1])[WOMEN_UNION].award_form == "bang_khen"
    bad = step(chair, nomination.id, "details", award_form="huan_chuong", level="province",
               commendation_type="thematic", reasons="Giữ nguyên", achievements="")
    assert bad.status_code == 422 and "Choose one of the award forms." in bad.get_data(as_text=True)
    assert "Giữ nguyên" in bad.get_data(as_text=True)
    assert step(chair, nomination.id, "inspection").status_code == 303
    again = nominations(apps[1])[WOMEN_UNION]
    assert (again.status, again.returned) == ("awaiting_verification", False)
    with apps[1].extensions["review"].sessions() as db:
        tasks = [t.status for t in db.scalars(select(InspectionTask).where(
            InspectionTask.nomination_id == nomination.id).order_by(InspectionTask.id))]
    assert tasks[0] == "concluded" and tasks[1] != "concluded"  # a new visit
    assert step(chair, nomination.id, "drop", reason="").status_code == 422
    assert step(chair, nomination.id, "drop", reason="Không đạt khi kiểm tra").status_code == 303
    dropped = nominations(apps[1])[WOMEN_UNION]
    assert (dropped.status, dropped.drop_reason) == ("dropped", "Không đạt khi kiểm tra")
    assert sent(apps[1], events.NOMINATION_CHANGED)[-1]["reason"] == "Không đạt khi kiểm tra"


def test_another_districts_reviewer_cannot_see_or_act_and_a_unit_is_refused(apps, person):
    nomination = exemplar(apps, person)
    other, unit = person("huyen-khac"), person("donvi")
    assert other.get(f"/nominations/{nomination.id}").status_code == 404
    assert WOMEN_UNION not in other.get("/nominations").get_data(as_text=True)
    token = csrf(other.get("/nominations").get_data(as_text=True))
    for action, form in (("submit", {}), ("drop", {"reason": "Không"}),
                         ("details", {"award_form": "giay_khen", "level": "district",
                                      "commendation_type": "thematic"})):
        response = other.post(f"/nominations/{nomination.id}/{action}",
                              data={"csrf_token": token, **form})
        assert response.status_code == 404, action
    assert other.post("/nominations/dossiers", data={"csrf_token": token,
                                                     "nomination": str(nomination.id)}).status_code == 404
    assert unit.get("/nominations").status_code == 403
    member = person("bcd")  # sees, but does not move it
    assert member.get(f"/nominations/{nomination.id}").status_code == 200
    assert step(member, nomination.id, "submit").status_code == 403
    assert nominations(apps[1])[WOMEN_UNION].status == "awaiting_verification"


def test_the_api_mirrors_the_pages(apps, person):
    nomination = exemplar(apps, person)

    def bearer(username: str) -> dict:
        with apps[0].extensions["intake"].sessions() as db:
            user = db.scalar(select(User).where(User.username == username))
            return {"Authorization": f"Bearer {tokens.issue(SECRET_KEY, accounts.identity_of(user))}"}

    client = apps[1].test_client()
    base = f"/api/nominations/{nomination.id}"
    listed = client.get("/api/nominations", headers=bearer("huyen")).get_json()["items"]
    assert [(n["id"], n["subject_name"]) for n in listed] == [(nomination.id, WOMEN_UNION)]
    assert client.get(base, headers=bearer("huyen-khac")).status_code == 404
    refused = client.post(f"{base}/submit", headers=bearer("huyen"), json={})
    assert refused.status_code == 409
    assert refused.get_json()["error"] == \
        "Chưa trình được: đoàn kiểm tra chưa xác minh mô hình."
    conclude(apps[1], nomination.id, "verified")
    stale = client.post(f"{base}/submit", headers=bearer("huyen"), json={"version": 1})
    assert stale.status_code == 409
    submitted = client.post(f"{base}/submit", headers=bearer("huyen"), json={})
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    bad = client.post(f"{base}/decision", headers=bearer("huyen"),
                      json={"decision_number": "", "decision_date": "2026-11-05", "signer": "Vi Văn Sơn"})
    assert bad.status_code == 422 and "decision_number" in bad.get_json()["fields"]
    decided = client.post(f"{base}/decision", headers=bearer("huyen"), json={
        "decision_number": "125/QĐ-UBND", "decision_date": "2026-11-05", "signer": "Vi Văn Sơn"})
    assert decided.status_code == 200, decided.get_json()
    body = decided.get_json()
    assert (body["status"], body["decision_number"], body["decision_date"], body["signer"]) == (
        "decided", "125/QĐ-UBND", "2026-11-05", "Vi Văn Sơn")
    assert [h["action"] for h in body["history"]][-2:] == ["submit", "decide"]


# ---- the dossier --------------------------------------------------------------------------


def run_worker() -> None:
    """What the Procfile's worker does, for the jobs queued so far."""
    run_jobs()


def test_the_dossier_names_the_right_people_models_and_numbers(apps, person):
    exemplar(apps, person)
    at_committee(apps[1], 2, FOREST, subject_type="individual",
                 details={"person_name": "Vi Văn Pín", "unit_name": "Chi đoàn bản Khe Choăng"})
    choose_exemplars(apps, person, FOREST)
    found = nominations(apps[1])
    road, forest = found[WOMEN_UNION], found["Vi Văn Pín"]
    receive(apps[1], 3, "Báo cáo kết quả 6 tháng", kind="result_report", model_id=1, report={
        "period": {"id": 1, "kind": "H1", "year": 2026}, "narrative": "Đã làm xong 3 km đường.",
        "evidence": [], "indicators": [{"code": "money_vnd", "value": Decimal("1139000000")},
                                       {"code": "households", "value": Decimal("42")}]})
    conclude(apps[1], road.id, "verified")
    conclude(apps[1], forest.id, "verified")
    mai = person("huyen")
    step(mai, road.id, "submit")
    step(mai, road.id, "decision", decision_number="125/QĐ-UBND", decision_date="05/11/2026",
         signer="Vi Văn Sơn")

    response = post(mai, "/nominations/dossiers", "/nominations",
                    nomination=[str(road.id), str(forest.id)])
    assert response.status_code == 303
    status_url = response.headers["Location"].removeprefix("http://localhost")
    waiting = mai.get(status_url).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in waiting and "<progress" in waiting and 'max="4"' in waiting

    run_worker()

    with mai.get(status_url, headers={"HX-Request": "true", "HX-Target": "dossier-progress"}) as done:
        fragment = done.get_data(as_text=True)
    assert fragment.startswith('<section id="dossier-progress" data-status="done"')
    assert "hx-trigger" not in fragment and 'id="download-docx"' in fragment

    with mai.get(f"{status_url}/dossier.docx") as response:
        assert response.status_code == 200
        document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "TỜ TRÌNH" in text and text.count("BÁO CÁO THÀNH TÍCH") == 2
    assert "Họp Ban Chỉ đạo phong trào thi đua “Dân vận khéo”" in text  # the minutes, appended
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    nominees = next(rows for rows in tables if rows[0][0] == "STT")
    assert nominees[0][:3] == ["STT", "Tập thể, cá nhân", "Mô hình"]
    assert nominees[1][:5] == ["1", f"{WOMEN_UNION} (Tập thể)", ROAD, "Xã Môn Sơn", "Giấy khen"]
    assert nominees[2][:3] == ["2", "Vi Văn Pín (Cá nhân)", FOREST]
    assert "Kinh phí: 1.139.000.000 đồng." in text and "Ngày công: 8.524 ngày công." in text
    assert "Mục tiêu, chỉ tiêu cụ thể: Mở rộng 3 km đường bê tông" in text
    assert "Đã được khen thưởng theo Quyết định số 125/QĐ-UBND ngày 05/11/2026" in text
    results = next(rows for rows in tables if rows[0][0] == "Kỳ báo cáo")
    assert results[1:] == [["6 tháng đầu năm 2026", "Kinh phí huy động", "1.139.000.000 đồng"],
                           ["6 tháng đầu năm 2026", "Số hộ được hỗ trợ", "42 hộ"]]

    with mai.get(f"{status_url}/dossier.xlsx") as response:
        sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    second = dict(zip(header, rows[2], strict=True))
    assert (first["Tập thể, cá nhân"], first["Mô hình"], first["Mã mô hình"]) == (WOMEN_UNION, ROAD, "1")
    assert (first["Số quyết định"], first["Người ký"]) == ("125/QĐ-UBND", "Vi Văn Sơn")
    assert first["Kinh phí huy động (đồng)"] == 1139000000 and first["Số hộ được hỗ trợ (hộ)"] == 42
    assert (second["Tập thể, cá nhân"], second["Đối tượng"], second["Mô hình"]) == (
        "Vi Văn Pín", "Cá nhân", FOREST)
    assert second["Kinh phí huy động (đồng)"] is None

    with mai.get(f"{status_url}/dossier.pdf") as response:
        assert response.data.startswith(b"%PDF")
        pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("TỜ TRÌNH", WOMEN_UNION, "Vi Văn Pín", "125/QĐ-UBND", "1.139.000.000"):
        assert expected in pdf_text

    # Only someone who may see every nomination in it downloads it.
    with person("huyen-khac").get(f"{status_url}/dossier.docx") as response:
        assert response.status_code == 404
    with person("donvi").get(f"{status_url}/dossier.pdf") as response:
        assert response.status_code == 403
    with person("bcd").get(f"{status_url}/dossier.xlsx") as response:
        assert response.status_code == 200


def test_a_dossier_without_nominations_or_with_an_unverified_or_dropped_one_is_refused(apps, person):
    nomination = exemplar(apps, person)
    mai = person("huyen")
    empty = post(mai, "/nominations/dossiers", "/nominations")
    assert empty.status_code == 422 and "Choose at least one nomination" in empty.get_data(as_text=True)
    unverified = post(mai, "/nominations/dossiers", "/nominations", nomination=str(nomination.id))
    assert unverified.status_code == 422
    assert "Only nominations their inspection verified can go in a dossier." in unverified.get_data(
        as_text=True)
    step(mai, nomination.id, "drop", reason="Đơn vị xin rút")
    refused = post(mai, "/nominations/dossiers", "/nominations", nomination=str(nomination.id))
    assert refused.status_code == 422
    assert "A dropped nomination cannot go in a dossier." in refused.get_data(as_text=True)


def test_when_redis_is_away_the_dossier_says_so_and_can_be_asked_for_again(apps, person):
    from redis.exceptions import ConnectionError as RedisDown

    nomination = exemplar(apps, person)
    conclude(apps[1], nomination.id, "verified")

    def away(_dossier_id: int) -> None:
        raise RedisDown("no Redis")

    apps[1].extensions["dossier_enqueue"] = away
    mai = person("huyen")
    response = post(mai, "/nominations/dossiers", "/nominations", nomination=str(nomination.id))
    assert response.status_code == 303
    with mai.get(response.headers["Location"].removeprefix("http://localhost")) as page:
        text = page.get_data(as_text=True)
    assert 'data-status="failed"' in text and "hx-trigger" not in text
    assert "The dossier could not be started. Please ask for it again in a few minutes." in text


def test_the_api_queues_a_dossier_and_reports_its_progress(apps, person):
    nomination = exemplar(apps, person)
    conclude(apps[1], nomination.id, "verified")
    with apps[0].extensions["intake"].sessions() as db:
        user = db.scalar(select(User).where(User.username == "chutich"))
        headers = {"Authorization": f"Bearer {tokens.issue(SECRET_KEY, accounts.identity_of(user))}"}
    client = apps[1].test_client()
    assert client.post("/api/nominations/dossiers", headers=headers,
                       json={"nomination_ids": []}).status_code == 422
    created = client.post("/api/nominations/dossiers", headers=headers,
                          json={"nomination_ids": [nomination.id]})
    assert created.status_code == 202, created.get_json()
    body = created.get_json()
    assert (body["status"], body["nomination_ids"], body["downloads"]) == ("queued", [nomination.id], {})
    run_worker()
    done = client.get(f"/api/nominations/dossiers/{body['id']}", headers=headers).get_json()
    assert done["status"] == "done" and done["processed"] == done["total"] == 3
    with client.get(done["downloads"]["xlsx"], headers=headers) as response:
        sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.cell(2, 3).value == WOMEN_UNION


def test_a_dossier_that_breaks_off_says_so_and_nothing_half_made_is_offered(apps, person,
                                                                           monkeypatch):
    from review_service.nominations import documents

    nomination = exemplar(apps, person)
    conclude(apps[1], nomination.id, "verified")
    mai = person("huyen")
    response = post(mai, "/nominations/dossiers", "/nominations", nomination=str(nomination.id))
    status_url = response.headers["Location"].removeprefix("http://localhost")

    def broken(*_args, **_kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr(documents, "build", broken)
    run_worker()

    with mai.get(status_url) as page:
        text = page.get_data(as_text=True)
    assert 'data-status="failed"' in text and 'id="download-docx"' not in text
    assert "Making the dossier broke off on our side; please ask for it again." in text
    with mai.get(f"{status_url}/dossier.docx") as download:
        assert download.status_code == 404
