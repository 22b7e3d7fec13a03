"""Inspections on both engine kinds: the district plans them with a reproducible sample, an
administrator keeps the teams, tasks go to an eligible team, and an inspector checks a model
on site, keeps a photo, and concludes; the conclusion leaves through the outbox."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from PIL import Image
from sqlalchemy import select

from intake_service import consumer as intake_consumer
from intake_service.accounts.tables import User
from review_service.inspections import overdue, sampling, services
from review_service.inspections.tables import InspectionAudit, InspectionPlan, InspectionTask
from review_service.mirrors.directory import OrgUnitCopy
from review_service.queue import services as review_services
from review_service.queue.tables import ReviewItem
from review_service.tables import outbox
from shared import events
from shared.days import today_in_vietnam
from shared.identity import Identity
from tests.conftest import ENGINE_KINDS, require_engines
from tests.integration.system import submitted_event
from tests.support.engines import drop_databases, environment
from tests.support.people import SECRET_KEY, at_review, cast
from tests.support.web import csrf, running_apps, sign_in

PEOPLE = cast("quantri", "huyen", "kiemtra",
              kiemtra2=("Lữ Thị Soát", "inspector", "con-cuong"),
              **{"kiemtra-monson": ("Vi Văn Bản", "inspector", "con-cuong")},
              ) | cast("donvi")
COMMUNES = {"mon-son": "Xã Môn Sơn", "chau-khe": "Xã Châu Khê", "luc-da": "Xã Lục Dạ",
            "yen-khe": "Xã Yên Khê"}
TODAY = today_in_vietnam().isoformat()  # plans read their days in Vietnam time


@pytest.fixture(params=ENGINE_KINDS)
def apps(request, tmp_path):
    require_engines(request.param)
    variables = environment(request.param, tmp_path)
    try:
        with running_apps(tmp_path, PEOPLE, variables) as both:
            knows_the_communes(both[1])
            yield both
    finally:
        drop_databases(variables)


def knows_the_communes(review_app) -> None:
    """Review's copy of the org tree, as intake's directory events leave it."""
    with review_app.extensions["review"].uow() as uow:
        for code, name in COMMUNES.items():
            uow.session.add(OrgUnitCopy(code=code, name=name, level="commune",
                                        parent_code="con-cuong", valid_from=date(2020, 1, 1),
                                        valid_to=None, successor_code=None, version=1))
        uow.commit()


def approved(review_app, submission_id: int, title: str, commune: str = "mon-son",
             field: str = "economy", unit: str | None = None) -> int:
    """A registration the whole chain approved today; returns its review item's id."""
    review = review_app.extensions["review"]
    details = {"unit_name": unit} if unit else {}
    event = events.decode(submitted_event(
        submission_id, title=title, commune_code=commune, commune_name=COMMUNES[commune],
        field=field, submitted_at=datetime.now(UTC), contract=2,
        details={"unit_name": None, **details}))
    with review.uow() as uow:
        review_services.on_submitted(event, uow, review.chain_config)
        item = uow.session.scalar(select(ReviewItem).where(
            ReviewItem.submission_id == submission_id))
        item.status, item.stage, item.updated_at = "approved", "committee", datetime.now(UTC)
        uow.commit()
        return item.id


PLANNER = Identity(2, "Ngân Thị Mai", "district_reviewer", "con-cuong")


def planned(review_app, item_id: int) -> int:
    """The district adds an approved model to a plan by hand; returns its task's id."""
    review, config = review_app.extensions["review"], review_app.extensions["inspections"]
    with review.uow() as uow:
        plan_id = services.create_plan(services.CreatePlan(
            PLANNER, "Đợt kiểm tra bổ sung", date(2020, 1, 1), date(2020, 6, 30)), uow, config).id
    with review.uow() as uow:
        return services.add_model(services.AddModel(PLANNER, plan_id, item_id), uow, config).id


def user_id(apps, username: str) -> int:
    with apps[0].extensions["intake"].sessions() as db:
        return db.scalar(select(User.id).where(User.username == username))


@pytest.fixture
def person(apps):
    """``person(username, lang="vi")``: at review, signed in at intake."""
    return lambda username, lang="vi": at_review(apps, username, lang)


def post(client, path: str, page: str, data=None, **form):
    """Send a form from ``page`` with that page's CSRF token."""
    token = csrf(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {}), **form})


def make_team(admin, name: str, communes: list[str]) -> int:
    response = post(admin, "/admin/inspection-teams", "/admin/inspection-teams",
                    {"name": name, "communes": communes})
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def add_member(admin, team_id: int, uid: int, name: str, home: str, unit: str = ""):
    page = f"/admin/inspection-teams/{team_id}"
    return post(admin, f"{page}/members", page, user_id=str(uid), member_name=name,
                home_commune=home, unit_name=unit)


def tasks_of(review_app) -> list[InspectionTask]:
    with review_app.extensions["review"].sessions() as db:
        found = list(db.scalars(select(InspectionTask).order_by(InspectionTask.id)))
        for task in found:
            _ = task.item.title, task.team  # loaded while the session is open
        return found


def sent(review_app, event_type: str) -> list[dict]:
    """The events of one type in review's outbox, in their wire form."""
    with review_app.extensions["review"].sessions() as db:
        rows = db.execute(select(outbox.c.body).where(outbox.c.routing_key == event_type))
        return [json.loads(body) for body in rows.scalars()]


def concluded_events(review_app) -> list[dict]:
    with review_app.extensions["review"].sessions() as db:
        rows = db.execute(select(outbox.c.body).where(
            outbox.c.routing_key == events.INSPECTION_CONCLUDED)).scalars()
        return [json.loads(body) for body in rows]


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def teams(apps, person):
    """Two teams: one covers Môn Sơn and Lục Dạ with Kiểm (of Yên Khê) and a Môn Sơn member;
    the other covers Châu Khê with Soát. Returns their ids."""
    admin = person("quantri")
    north = make_team(admin, "Đoàn kiểm tra số 1", ["mon-son", "luc-da"])
    assert add_member(admin, north, user_id(apps, "kiemtra"), "Kha Văn Kiểm",
                      "yen-khe").status_code == 303
    assert add_member(admin, north, user_id(apps, "kiemtra-monson"), "Vi Văn Bản",
                      "mon-son").status_code == 303
    south = make_team(admin, "Đoàn kiểm tra số 2", ["chau-khe"])
    assert add_member(admin, south, user_id(apps, "kiemtra2"), "Lữ Thị Soát",
                      "luc-da").status_code == 303
    return {"north": north, "south": south}


def test_a_plan_samples_each_commune_and_field_from_a_recorded_seed_and_assigns_the_tasks(
        apps, person, teams):
    for number in range(1, 13):  # 12 approved models in 3 strata
        commune, field = [("mon-son", "economy"), ("mon-son", "new_rural"),
                          ("chau-khe", "economy")][number % 3]
        approved(apps[1], number, f"Mô hình số {number}", commune, field)
    approved(apps[1], 99, "Mô hình huyện khác", "mon-son")
    with apps[1].extensions["review"].uow() as uow:  # another district's model is never sampled
        uow.session.scalar(select(ReviewItem).where(ReviewItem.submission_id == 99)) \
            .district_code = "anh-son"
        uow.commit()
    mai = person("huyen")
    response = post(mai, "/inspections/plans", "/inspections/plans",
                    label="Kiểm tra 6 tháng cuối năm", starts_on=TODAY, ends_on=TODAY, seed="2024")
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    plan_page = mai.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="seed">2024<' in plan_page

    sampled = tasks_of(apps[1])
    assert len(sampled) == 3  # 10 % of 4, rounded up, in each of the 3 strata
    assert {(t.commune_code, t.item.field) for t in sampled} == {
        ("mon-son", "economy"), ("mon-son", "new_rural"), ("chau-khe", "economy")}
    for task in sampled:
        assert task.status == "assigned" and task.source == "sampled"
        assert task.team_id == (teams["south"] if task.commune_code == "chau-khe"
                                else teams["north"])
        if task.commune_code == "mon-son":  # the Môn Sơn member never goes to Môn Sơn
            assert [p["name"] for p in task.inspectors] == ["Kha Văn Kiểm"]

    # the same seed and population draw the same models; the API says so too
    again = mai.get(f"/api/inspections/plans/{sampled[0].plan_id}")
    assert again.status_code == 200 and again.get_json()["seed"] == 2024
    assert len(again.get_json()["tasks"]) == 3
    with apps[1].extensions["review"].sessions() as db:
        plan = db.get(InspectionPlan, sampled[0].plan_id)
        population = services.population(db, plan)
        redraw = sampling.draw(population + [sampling.Candidate(t.item_id, t.commune_code,
                                                                t.item.field) for t in sampled],
                               Fraction(plan.sample_share), plan.seed)
    assert redraw == sorted(t.item_id for t in sampled)


def test_a_planner_adds_a_model_by_hand_and_bad_input_is_told_not_lost(apps, person, teams):
    item_id = approved(apps[1], 1, "Bản Khe Ló không có ma túy", "luc-da")
    mai = person("huyen", lang="en")
    created = post(mai, "/inspections/plans", "/inspections/plans", label="Đợt kiểm tra",
                   starts_on=TODAY, ends_on="2000-01-01")
    assert created.status_code == 422
    page = created.get_data(as_text=True)
    assert "The last day must come after the first" in page and 'value="Đợt kiểm tra"' in page
    wrong_number = post(mai, "/inspections/plans", "/inspections/plans", label="Đợt kiểm tra",
                        starts_on="2020-01-01", ends_on="2020-06-30", period_id="kỳ 1")
    assert wrong_number.status_code == 422
    assert "The reporting period number is a whole number." in wrong_number.get_data(as_text=True)
    plan_url = post(mai, "/inspections/plans", "/inspections/plans", label="Đợt kiểm tra",
                    starts_on="2020-01-01", ends_on="2020-06-30").headers["Location"]
    plan_id = int(plan_url.rsplit("/", 1)[1])
    assert tasks_of(apps[1]) == []  # nothing approved in 2020
    added = post(mai, f"/inspections/plans/{plan_id}/models", plan_url, item_id=str(item_id))
    assert added.status_code == 303
    again = post(mai, f"/inspections/plans/{plan_id}/models", plan_url, item_id=str(item_id))
    assert again.status_code == 422 and "already on the plan" in again.get_data(as_text=True)
    (task,) = tasks_of(apps[1])
    assert (task.source, task.team_id, task.status) == ("added", teams["north"], "assigned")


def test_an_inspector_records_findings_with_a_photo_and_concludes(apps, person, teams):
    item_id = approved(apps[1], 7, "Tổ hòa giải bản Xiềng", "mon-son")
    task_id = planned(apps[1], item_id)
    kiem = person("kiemtra")
    page = f"/inspections/tasks/{task_id}"
    shown = kiem.get(page).get_data(as_text=True)
    assert "Tổ hòa giải bản Xiềng" in shown and 'data-keep="inspection-' in shown

    # a dropped connection loses nothing: the server keeps what was typed
    token = csrf(shown)
    kept = kiem.post(f"{page}/autosave", data={"csrf_token": token, "findings": "Đang ghi",
                                                "check_exists": "met"})
    assert kept.status_code == 200
    assert ">Đang ghi</textarea>" in kiem.get(page).get_data(as_text=True)

    upload = kiem.post(f"{page}/evidence", data={"csrf_token": token, "files": [
        (io.BytesIO(photo()), "anh-hien-truong.jpg"),
        (io.BytesIO(b"MZ\x90\x00 not a photo"), "anh.jpg")]},
        content_type="multipart/form-data")
    assert upload.status_code == 303
    after_upload = kiem.get(page).get_data(as_text=True)
    assert "anh-hien-truong.jpg" in after_upload  # kept
    assert after_upload.count("/inspections/evidence/") == 2  # one photo: a link and its image

    answers = {f"check_{code}": "met" for code in
               ("exists", "activities", "results", "people", "records")}
    missing = post(kiem, f"{page}/conclusion", page, findings="Mô hình hoạt động tốt, "
                   "có sổ sách.", outcome="verified")
    assert missing.status_code == 422
    assert "Mô hình hoạt động tốt, có sổ sách." in missing.get_data(as_text=True)
    done = post(kiem, f"{page}/conclusion", page, answers,
                findings="Mô hình hoạt động tốt, có sổ sách.", outcome="verified")
    assert done.status_code == 303

    (task,) = tasks_of(apps[1])
    assert (task.status, task.outcome, task.concluded_by) == ("concluded", "verified",
                                                              "Kha Văn Kiểm")
    (event,) = concluded_events(apps[1])
    assert "Kha Văn Kiểm" in event["payload"]["actor"]["name"]
    assert event["payload"] | {"concluded_at": None} == {
        "task_id": task_id, "model_id": 7, "period_id": None, "nomination_id": None,
        "outcome": "verified", "findings": "Mô hình hoạt động tốt, có sổ sách.",
        "team_name": "Đoàn kiểm tra số 1", "actor": {"id": user_id(apps, "kiemtra"),
                                                    "name": "Kha Văn Kiểm"},
        "concluded_at": None}
    with apps[1].extensions["review"].sessions() as db:
        trail = [a.action for a in db.scalars(select(InspectionAudit).where(
            InspectionAudit.task_id == task_id).order_by(InspectionAudit.id))]
    assert trail == ["planned", "assigned", "evidence", "concluded"]
    with kiem.get("/inspections/evidence/1") as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert post(kiem, f"{page}/conclusion", page, answers, findings="Lần nữa",
                outcome="not_verified").status_code == 409  # concluded once


def test_an_inspector_of_another_team_neither_sees_nor_concludes_the_task(apps, person, teams):
    item_id = approved(apps[1], 3, "Chi hội nuôi bò", "luc-da")
    task_id = planned(apps[1], item_id)
    soat, hoa = person("kiemtra2"), person("donvi")
    page = f"/inspections/tasks/{task_id}"
    assert soat.get(page).status_code == 404
    assert "Chi hội nuôi bò" not in soat.get("/inspections").get_data(as_text=True)
    token = csrf(soat.get("/inspections").get_data(as_text=True))
    assert soat.post(f"{page}/conclusion", data={"csrf_token": token, "outcome": "verified",
                                                 "findings": "x"}).status_code == 404
    assert soat.post(f"{page}/evidence", data={"csrf_token": token}).status_code == 404
    assert hoa.get("/inspections").status_code == 403
    assert hoa.get(page).status_code == 404
    assert person("kiemtra").get(page).status_code == 200  # control


def test_a_reassignment_against_the_rules_is_refused_with_the_reason(apps, person, teams):
    item_id = approved(apps[1], 5, "Đoàn thanh niên làm đường", "mon-son")
    task_id = planned(apps[1], item_id)
    admin = person("quantri", lang="en")
    local = make_team(admin, "Đoàn kiểm tra xã Môn Sơn", ["mon-son"])
    add_member(admin, local, user_id(apps, "kiemtra-monson"), "Vi Văn Bản", "mon-son")
    page = f"/inspections/tasks/{task_id}"
    refused = post(admin, f"{page}/reassign", page, team_id=str(local))
    assert refused.status_code == 409
    assert "conflict of interest" in refused.get_data(as_text=True)
    not_covering = post(admin, f"{page}/reassign", page, team_id=str(teams["south"]))
    assert not_covering.status_code == 409
    assert "does not cover the model" in not_covering.get_data(as_text=True)
    (task,) = tasks_of(apps[1])
    assert task.team_id == teams["north"]
    assert post(person("huyen"), f"{page}/reassign", page,
                team_id=str(teams["north"])).status_code == 403  # administrators only

    add_member(admin, teams["south"], user_id(apps, "kiemtra"), "Kha Văn Kiểm", "yen-khe")
    page_vi, south = person("quantri"), f"/admin/inspection-teams/{teams['south']}"
    assert post(page_vi, south, south, {"name": "Đoàn kiểm tra số 2",
                                        "communes": ["chau-khe", "mon-son"]}).status_code == 303
    moved = post(page_vi, f"{page}/reassign", page, team_id=str(teams["south"]))
    assert moved.status_code == 303
    (task,) = tasks_of(apps[1])
    assert task.team_id == teams["south"]
    assert {p["name"] for p in task.inspectors} == {"Kha Văn Kiểm", "Lữ Thị Soát"}


def test_a_nominated_model_without_an_eligible_team_waits_flagged_then_is_assigned(
        apps, person):
    item_id = approved(apps[1], 8, "Mô hình được đề nghị khen thưởng", "yen-khe")
    review = apps[1].extensions["review"]
    actor = PLANNER
    with review.uow() as uow:
        item = uow.session.get(ReviewItem, item_id)
        first = services.require_inspection(uow, item=item, nomination_id=41, actor=actor)
        same = services.require_inspection(uow, item=item, nomination_id=41, actor=actor)
        uow.commit()
        assert same.id == first.id and first.status == "unassigned"
    with review.sessions() as db:
        (plan,) = db.scalars(select(InspectionPlan)).all()
        start = plan.starts_on
    assert start.day == 1 and start.month in (1, 7)  # the current half-year
    listing = person("huyen").get("/inspections?status=unassigned").get_data(as_text=True)
    assert "Mô hình được đề nghị khen thưởng" in listing

    admin = person("quantri")
    team_id = make_team(admin, "Đoàn kiểm tra Yên Khê", ["yen-khe"])
    page = f"/admin/inspection-teams/{team_id}"
    assert "Lữ Thị Soát" not in admin.get(page).get_data(as_text=True)
    assert person("kiemtra2").get("/inspections").status_code == 200  # now review knows her
    soat = str(user_id(apps, "kiemtra2"))
    assert f'<option value="{soat}" >Lữ Thị Soát' in admin.get(page).get_data(as_text=True)
    assert post(admin, f"{page}/members", page, known_id=soat,
                home_commune="luc-da").status_code == 303
    (task,) = tasks_of(apps[1])
    assert (task.status, task.team_id, task.nomination_id) == ("assigned", team_id, 41)


def test_an_overdue_inspection_is_flagged_and_escalated_once(apps, person, teams):
    item_id = approved(apps[1], 4, "Mô hình chậm kiểm tra", "luc-da")
    review = apps[1].extensions["review"]
    task_id = planned(apps[1], item_id)
    with review.sessions() as db:
        due_at = db.get(InspectionTask, task_id).due_at
    assert timedelta(days=29) < due_at - datetime.now(UTC) <= timedelta(days=30)
    with review.uow() as uow:
        assert overdue.sweep(uow, due_at - timedelta(hours=1)) == []
    with review.uow() as uow:
        assert overdue.sweep(uow, due_at + timedelta(hours=1)) == [task_id]
    with review.uow() as uow:
        assert overdue.sweep(uow, due_at + timedelta(days=2)) == []  # once only
    listing = person("huyen").get("/inspections").get_data(as_text=True)
    assert f'data-escalated="{task_id}"' in listing and 'id="escalated"' in listing

    # The escalation travels to intake, which tells the team's inspector and the district.
    [news] = sent(apps[1], events.INSPECTION_OVERDUE)
    assert (news["payload"]["task_id"], news["payload"]["inspector_ids"]) == (
        task_id, [user_id(apps, "kiemtra"), user_id(apps, "kiemtra-monson")])
    intake = apps[0].extensions["intake"]
    intake_consumer.handler(intake)(events.decode(news))
    for username in ("kiemtra", "huyen"):
        at_intake = apps[0].test_client()
        sign_in(at_intake, username)
        told = at_intake.get("/notifications").get_data(as_text=True)
        assert "Việc kiểm tra «Mô hình chậm kiểm tra» đã quá hạn" in told, username


def bearer(apps, username: str) -> dict:
    from intake_service.accounts import services as accounts
    from shared import tokens

    with apps[0].extensions["intake"].sessions() as db:
        user = db.scalar(select(User).where(User.username == username))
        return {"Authorization": f"Bearer {tokens.issue(SECRET_KEY, accounts.identity_of(user))}"}


def test_the_api_plans_assigns_reassigns_and_concludes_by_the_same_rules(apps):
    approved(apps[1], 21, "Tổ liên gia tự quản bản Đình", "luc-da", "defense_security")
    api = apps[1].test_client()
    team = api.post("/api/inspections/teams", headers=bearer(apps, "quantri"),
                    json={"name": "Đoàn kiểm tra Lục Dạ", "communes": ["luc-da"]})
    assert team.status_code == 201, team.get_json()
    team_id = team.get_json()["id"]
    member = api.post(f"/api/inspections/teams/{team_id}/members",
                      headers=bearer(apps, "quantri"),
                      json={"user_id": user_id(apps, "kiemtra"), "name": "Kha Văn Kiểm",
                            "home_commune": "yen-khe"})
    assert member.status_code == 201, member.get_json()
    other = api.post("/api/inspections/teams", headers=bearer(apps, "quantri"),
                     json={"name": "Đoàn kiểm tra Châu Khê", "communes": ["chau-khe"]})
    assert api.post(f"/api/inspections/teams/{team_id}/members", headers=bearer(apps, "huyen"),
                    json={"user_id": 9, "name": "Ai đó", "home_commune": "mon-son"}
                    ).status_code == 403

    plan = api.post("/api/inspections/plans", headers=bearer(apps, "huyen"),
                    json={"label": "Kiểm tra quý IV", "starts_on": TODAY, "ends_on": TODAY,
                          "seed": 7})
    assert plan.status_code == 201, plan.get_json()
    (task,) = plan.get_json()["tasks"]
    assert (task["team_id"], task["inspectors"]) == (team_id, [
        {"id": user_id(apps, "kiemtra"), "name": "Kha Văn Kiểm"}])
    assert api.post("/api/inspections/plans", headers=bearer(apps, "huyen"),
                    json={"label": "x", "starts_on": TODAY}).status_code == 422

    refused = api.post(f"/api/inspections/tasks/{task['id']}/reassign",
                       headers=bearer(apps, "quantri"), json={"team_id": other.get_json()["id"]})
    assert refused.status_code == 409 and refused.get_json()["reason"] == "not_covering"

    evidence = f"/api/inspections/tasks/{task['id']}/evidence"
    kept = api.post(evidence, headers=bearer(apps, "kiemtra"),
                    data={"file": (io.BytesIO(photo()), "so-sach.jpg")})
    assert kept.status_code == 201, kept.get_json()
    assert (kept.get_json()["filename"], kept.get_json()["content_type"]) == ("so-sach.jpg",
                                                                              "image/jpeg")
    disguised = api.post(evidence, headers=bearer(apps, "kiemtra"),
                         data={"file": (io.BytesIO(b"MZ\x90\x00 not a photo"), "anh.jpg")})
    assert disguised.status_code == 422 and "dù tên tệp là gì" in disguised.get_json()["fields"]["file"][0]
    assert api.post(evidence, headers=bearer(apps, "kiemtra2"),
                    data={"file": (io.BytesIO(photo()), "x.jpg")}).status_code == 404

    conclusion = {"outcome": "partly_verified", "findings": "Có hoạt động, thiếu sổ sách.",
                  "checklist": {"exists": "met", "activities": "met", "results": "partly"}}
    path = f"/api/inspections/tasks/{task['id']}/conclusion"
    assert api.post(path, headers=bearer(apps, "kiemtra2"), json=conclusion).status_code == 404
    incomplete = api.post(path, headers=bearer(apps, "kiemtra"), json=conclusion)
    assert incomplete.status_code == 422 and incomplete.get_json()["fields"]["checklist"]
    conclusion["checklist"] |= {"people": "met", "records": "not_met"}
    done = api.post(path, headers=bearer(apps, "kiemtra"), json=conclusion)
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["outcome"]) == ("concluded",
                                                                        "partly_verified")
    assert [e["payload"]["outcome"] for e in concluded_events(apps[1])] == ["partly_verified"]
    mine = api.get("/api/inspections/tasks", headers=bearer(apps, "kiemtra")).get_json()["items"]
    assert [t["id"] for t in mine] == [task["id"]]
    assert api.get("/api/inspections/tasks", headers=bearer(apps, "kiemtra2")
                   ).get_json()["items"] == []
