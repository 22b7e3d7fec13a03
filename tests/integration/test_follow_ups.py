"""After approval: a unit amends its model and reports its results; both travel through review."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from PIL import Image

from intake_service.periods import services as periods
from shared import events
from shared.identity import Identity
from tests.support.stack import wait_for

ADMIN = Identity(90, "Quản trị", "admin", "con-cuong")
CHAIN = (("xa", "commune"), ("huyen", "district"))  # then the committee votes


def approved_model(system, **overrides) -> int:
    submission_id = system.register("donvi", **overrides)
    approve_everywhere(system, submission_id)
    system.wait_submission(submission_id, "approved")
    return submission_id


def approve_everywhere(system, submission_id: int) -> None:
    for reviewer, stage in CHAIN:
        item = system.item_for(submission_id, reviewer, stage)
        assert system.decide(reviewer, item, "approve").status_code == 200
    system.committee_decides(submission_id)


def review_item(system, submission_id: int, reviewer: str = "xa", stage: str = "commune") -> dict:
    item = system.item_for(submission_id, reviewer, stage)
    return system.review.get(f"/api/items/{item['id']}", headers=system.auth(reviewer)).get_json()


@pytest.fixture(scope="module")
def report_period(system):
    intake = system.intake.application.extensions["intake"]
    today = date.today()
    with intake.uow() as uow:
        period = periods.open_period(periods.OpenPeriod(
            ADMIN, "H1", today.year, ("reports",), today - timedelta(days=30),
            today + timedelta(days=30)), uow)
        return period.id


def test_an_amendment_is_reviewed_like_a_submission_and_then_changes_the_model(system):
    model_id = approved_model(system, title="Dân vận khéo làm đường bản Xiềng")
    response = system.intake.post(
        f"/api/models/{model_id}/amendments", headers=system.auth("donvi"),
        json={"title": "Dân vận khéo làm đường bê tông bản Xiềng", "field": "new_rural",
              "objectives": "2 km đường bê tông", "reason": "Tên cũ viết thiếu", "submit": True})
    assert response.status_code == 201, response.get_json()
    amendment_id = response.get_json()["id"]

    seen = review_item(system, amendment_id)
    assert seen["kind"] == "amendment"
    assert seen["amendment"]["reason"] == "Tên cũ viết thiếu"
    assert {c["name"]: (c["before"], c["after"]) for c in seen["amendment"]["changes"]} == {
        "title": ("Dân vận khéo làm đường bản Xiềng", "Dân vận khéo làm đường bê tông bản Xiềng"),
        "objectives": (None, "2 km đường bê tông"),
    }
    assert system.submission(model_id)["title"] == "Dân vận khéo làm đường bản Xiềng"  # not yet

    approve_everywhere(system, amendment_id)
    system.wait_submission(amendment_id, "approved")
    model = system.submission(model_id)
    assert model["title"] == "Dân vận khéo làm đường bê tông bản Xiềng"
    assert model["objectives"] == "2 km đường bê tông"
    assert model["history"][-1]["to_status"] == "amended"
    assert model["history"][-1]["comment"] == "Tên cũ viết thiếu"


def test_an_amendment_must_change_something_and_only_one_runs_at_a_time(system):
    model_id = approved_model(system, title="Tổ tự quản bản Cò Phạt")
    same = {"title": "Tổ tự quản bản Cò Phạt", "field": "new_rural", "reason": "Không đổi gì"}
    unchanged = system.intake.post(f"/api/models/{model_id}/amendments",
                                   headers=system.auth("donvi"), json=same)
    assert unchanged.status_code == 409
    assert "không có gì khác" in unchanged.get_json()["error"]  # told in Vietnamese

    first = system.intake.post(f"/api/models/{model_id}/amendments", headers=system.auth("donvi"),
                               json=same | {"field": "economy"})
    assert first.status_code == 201
    second = system.intake.post(f"/api/models/{model_id}/amendments",
                                headers=system.auth("donvi"), json=same | {"field": "economy"})
    assert second.status_code == 409
    other_unit = system.intake.post(f"/api/models/{model_id}/amendments",
                                    headers=system.auth("donvi2"), json=same | {"field": "economy"})
    assert other_unit.status_code == 404


def test_a_draft_registration_cannot_be_amended_it_is_simply_edited(system):
    draft = system.register("donvi", title="Mô hình còn nháp", submit=False)
    response = system.intake.post(f"/api/models/{draft}/amendments", headers=system.auth("donvi"),
                                  json={"title": "Mô hình đã sửa tên", "field": "economy",
                                        "reason": "Sửa tên"})
    assert response.status_code == 409


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_result_report_keeps_exact_figures_and_evidence_and_reaches_the_reviewer(
        system, report_period):
    model_id = approved_model(system, title="Hiến đất mở rộng đường bản Khe Choăng")
    created = system.intake.post(
        f"/api/models/{model_id}/reports", headers=system.auth("donvi"),
        json={"period_id": report_period, "money_vnd": "1.139.000.000", "labour_days": "8.524",
              "land_m2": "9.952", "road_km": "1,5", "narrative": "Nhân dân hiến đất"})
    assert created.status_code == 201, created.get_json()
    report_id = created.get_json()["id"]

    photo = system.intake.post(f"/api/reports/{report_id}/evidence", headers=system.auth("donvi"),
                               data={"file": (io.BytesIO(png()), "anh-con-duong.png")})
    assert photo.status_code == 201, photo.get_json()
    disguised = system.intake.post(
        f"/api/reports/{report_id}/evidence", headers=system.auth("donvi"),
        data={"file": (io.BytesIO(b"<script>alert(1)</script>"), "bien-ban.pdf")})
    assert disguised.status_code == 422
    assert "dù tên tệp là gì" in disguised.get_json()["fields"]["file"][0]

    assert system.intake.post(f"/api/submissions/{report_id}/submit",
                              headers=system.auth("donvi")).status_code == 200
    seen = review_item(system, report_id)
    assert seen["kind"] == "result_report"
    figures = {f["code"]: Decimal(f["value"]) for f in seen["report"]["indicators"]}
    assert figures == {"money_vnd": Decimal("1139000000"), "labour_days": Decimal("8524"),
                       "land_m2": Decimal("9952"), "road_km": Decimal("1.5")}
    assert [e["filename"] for e in seen["report"]["evidence"]] == ["anh-con-duong.png"]

    evidence_id = photo.get_json()["id"]
    with system.intake.get(f"/api/evidence/{evidence_id}", headers=system.auth("xa")) as download:
        assert download.status_code == 200
        assert download.headers["Content-Type"] == "image/png"
        assert "sandbox" in download.headers["Content-Security-Policy"]
    assert system.intake.get(f"/api/evidence/{evidence_id}",
                             headers=system.auth("xa2")).status_code == 404  # another commune

    second = system.intake.post(f"/api/models/{model_id}/reports", headers=system.auth("donvi"),
                                json={"period_id": report_period, "households": "12"})
    assert second.status_code == 409


def review_announces(system, *announced: tuple[str, str, int, dict]) -> None:
    """Review's outbox carries the events; its relay, the broker and intake's consumer do the rest."""
    review = system.review.application.extensions["review"]
    with review.uow() as uow:
        for event_type, aggregate, version, payload in announced:
            uow.emit(events.Event(type=event_type, producer="review", aggregate_id=aggregate,
                                  aggregate_version=version, payload=payload))
        uow.commit()


def nomination(model_id: int, version: int, status: str, **decided) -> dict:
    return {"nomination_id": 7000 + model_id, "model_ids": [model_id], "subject_type": "collective",
            "subject_name": "Hội LHPN xã Môn Sơn", "award_form": "giay_khen",
            "award_form_name": "Giấy khen", "level": "district",
            "status": status, "commune_code": "mon-son", "district_code": "con-cuong",
            "period_id": None, "decision_number": None, "decision_date": None, "signer": None,
            "reason": None, "version": version, "changed_at": datetime.now(UTC)} | decided


def test_the_unit_sees_what_review_made_of_its_model_exemplar_inspection_and_award(system):
    model_id = approved_model(system, title="Dân vận khéo giữ rừng đầu nguồn bản Pha")
    now = datetime.now(UTC)
    committee = {"id": 6, "name": "Moong Văn Bình", "role": "committee_chair"}
    decided = nomination(model_id, 3, "decided", decision_number="125/QĐ-UBND",
                         decision_date=date(2024, 7, 10), signer="Chủ tịch UBND huyện")
    review_announces(
        system,
        (events.EXEMPLAR_MARKED, str(model_id), 1,
         {"model_id": model_id, "submission_id": model_id, "item_id": 1, "session_id": 1,
          "actor": committee, "marked_at": now}),
        (events.INSPECTION_CONCLUDED, "task-1", 1,
         {"task_id": 1, "model_id": model_id, "period_id": None, "nomination_id": 7000 + model_id,
          "outcome": "verified", "findings": "Đường đã làm xong, 40 hộ hiến đất",
          "team_name": "Đoàn kiểm tra số 1", "actor": committee, "concluded_at": now}),
        (events.NOMINATION_CHANGED, str(7000 + model_id), 3, decided),
        (events.NOMINATION_CHANGED, str(7000 + model_id), 1, nomination(model_id, 1, "proposed")),
    )

    def recognised():
        found = system.submission(model_id)
        return found if found["nominations"] and found["inspection_outcome"] else None
    model = wait_for(recognised, message="exemplar, inspection and nomination at intake")
    assert model["exemplar"] is True
    assert (model["inspection_outcome"], model["inspection_findings"]) == (
        "verified", "Đường đã làm xong, 40 hộ hiến đất")
    [award] = model["nominations"]  # the older "proposed" news arrived last and changed nothing
    assert (award["award_form_name"], award["status"], award["decision_number"],
            award["decision_date"]) == ("Giấy khen", "decided", "125/QĐ-UBND", "2024-07-10")
    steps = [(h["to_status"], h["stage"]) for h in model["history"]]
    assert ("exemplar", "committee") in steps and ("verified", "inspection") in steps
