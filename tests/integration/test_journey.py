"""A unit's registration travels intake → review → intake and back again, on both engine kinds."""

from __future__ import annotations


def test_a_registration_is_approved_at_every_stage_and_the_unit_sees_who_and_when(system):
    submission_id = system.register("donvi")

    item = system.item_for(submission_id, "xa", "commune")
    assert system.decide("xa", item, "approve").status_code == 200
    item = system.item_for(submission_id, "huyen", "district")
    assert system.decide("huyen", item, "approve").status_code == 200
    item = system.item_for(submission_id, "bcd", "committee")
    refused = system.decide("bcd", item, "approve")
    assert refused.status_code == 403  # a member alone does not decide for the committee
    assert "committee" in refused.get_json()["error"].lower() or "ban" in refused.get_json()["error"].lower()
    system.committee_decides(submission_id)

    final = system.wait_submission(submission_id, "approved")
    steps = [(h["to_status"], h["stage"], h["actor"]) for h in final["history"]]
    assert steps == [
        ("draft", None, "Lô Thị Hoa"),
        ("submitted", None, "Lô Thị Hoa"),
        ("in_review", "commune", ""),
        ("in_review", "commune", "Lương Văn Thắng"),
        ("in_review", "district", "Ngân Thị Mai"),
        ("approved", "committee", "Lương Thị Ngọc"),  # the chair who closed the vote
    ]
    assert all(h["at"] for h in final["history"])


def test_a_return_at_district_reaches_the_unit_and_the_resubmission_goes_back_to_district(system):
    submission_id = system.register("donvi", title="Mô hình bản không có ma túy")
    system.decide("xa", system.item_for(submission_id, "xa", "commune"), "approve")
    item = system.item_for(submission_id, "huyen", "district")

    refused = system.decide("huyen", item, "return", comment="  ")
    assert refused.status_code == 422
    assert system.decide("huyen", item, "return", comment="Bổ sung chỉ tiêu cụ thể").status_code == 200

    returned = system.wait_submission(submission_id, "returned")
    assert returned["last_comment"] == "Bổ sung chỉ tiêu cụ thể"
    assert returned["history"][-1]["comment"] == "Bổ sung chỉ tiêu cụ thể"

    fixed = system.intake.put(f"/api/submissions/{submission_id}", headers=system.auth("donvi"),
                              json={"title": "Mô hình bản không có ma túy, 3 chỉ tiêu",
                                    "field": "defense_security", "subject_type": "collective",
                                    "commune_code": "mon-son"})
    assert fixed.status_code == 200
    assert system.intake.post(f"/api/submissions/{submission_id}/submit",
                              headers=system.auth("donvi")).status_code == 200

    system.wait_submission(submission_id, "in_review", stage="district")
    item = system.item_for(submission_id, "huyen", "district")
    assert item["title"] == "Mô hình bản không có ma túy, 3 chỉ tiêu"
    assert submission_id not in [i["submission_id"] for i in system.queue("xa", "commune")]


def test_a_commune_reviewer_neither_sees_nor_decides_another_communes_items(system):
    submission_id = system.register("donvi2", title="Đoàn TN xã Châu Khê giúp dân thu hoạch",
                                    commune_code="chau-khe")
    item = system.item_for(submission_id, "xa2", "commune")

    assert submission_id not in [i["submission_id"] for i in system.queue("xa", "commune")]
    assert system.decide("xa", item, "approve").status_code == 404
    assert system.decide("huyen", item, "approve").status_code == 403


def test_two_reviewers_deciding_the_same_item_at_once_one_wins_and_the_other_is_told(system):
    from concurrent.futures import ThreadPoolExecutor

    submission_id = system.register("donvi", title="Mô hình dân vận khéo bản Khe Choăng")
    item = system.item_for(submission_id, "xa", "commune")

    def approve(_):
        client = system.review.application.test_client()
        return client.post(f"/api/items/{item['id']}/decision", headers=system.auth("xa"),
                           json={"decision": "approve", "version": item["version"]}).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(approve, range(2)))
    assert outcomes == [200, 409]
    system.wait_submission(submission_id, "in_review", stage="district")
    history = system.submission(submission_id)["history"]
    assert sum(1 for h in history if h["actor"] == "Lương Văn Thắng") == 1
