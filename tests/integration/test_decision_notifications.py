"""People told what review did, through the pipeline: the unit of each decision on its
submissions (with the reviewer's reason), reviewers of items new in their queue, grouped."""

from __future__ import annotations

from datetime import date

from shared import events
from tests.integration.test_follow_ups import (
    approve_everywhere,
    approved_model,
    nomination,
    review_announces,
)
from tests.support.stack import wait_for


def notes(system, username: str) -> list[str]:
    response = system.intake.get("/api/notifications", headers=system.auth(username))
    assert response.status_code == 200, response.get_json()
    return [note["text"] for note in response.get_json()["items"]]


def told(system, username: str, *words: str) -> str:
    """The notification of ``username`` holding all ``words``, once it has arrived."""
    return wait_for(lambda: next((text for text in notes(system, username)
                                  if all(word in text for word in words)), None),
                    message=f"{username} told of {words}")


def test_the_unit_is_told_its_model_was_returned_with_the_reason_then_approved(system):
    title = "Tổ hòa giải bản Cò Phạt giữ bình yên thôn xóm"
    submission_id = system.register("donvi", title=title)
    item = system.item_for(submission_id, "xa", "commune")
    reason = "Bổ sung số vụ hòa giải thành"
    assert system.decide("xa", item, "return", reason).status_code == 200

    returned = told(system, "donvi", title, reason)
    assert "được trả lại để sửa ở cấp Xã" in returned  # in Vietnamese, with the stage

    system.wait_submission(submission_id, "returned")
    resubmitted = system.intake.post(f"/api/submissions/{submission_id}/submit",
                                     headers=system.auth("donvi"))
    assert resubmitted.status_code == 200, resubmitted.get_json()
    approve_everywhere(system, submission_id)
    system.wait_submission(submission_id, "approved")
    approved = told(system, "donvi", title, "đã được duyệt")
    assert reason not in approved
    assert not any(title in text for text in notes(system, "donvi2"))  # another unit's


def test_a_reviewer_is_told_of_new_items_in_one_notification_that_counts_them(system):
    first, second = "Đoàn thanh niên Châu Khê sửa cầu treo", "Chi hội phụ nữ Châu Khê nuôi lợn"
    for title in (first, second):
        system.register("donvi2", title=title, commune_code="chau-khe",
                        unit_name="Đoàn TN xã Châu Khê")
    told(system, "xa2", second, "hàng chờ")
    queued = [text for text in notes(system, "xa2") if "hàng chờ" in text]
    assert queued == [f"Có hồ sơ mới trong hàng chờ của bạn ở cấp Xã: 2 hồ sơ, mới nhất là «{second}»."]
    assert not any(second in text for text in notes(system, "xa"))  # Môn Sơn's reviewer


def test_the_unit_is_told_once_when_its_models_award_nomination_is_decided(system):
    title = "Dân vận khéo giữ nguồn nước bản Khe Ló"
    model_id = approved_model(system, title=title)
    decided = nomination(model_id, 2, "decided", decision_number="131/QĐ-UBND",
                         decision_date=date(2024, 7, 12), signer="Chủ tịch UBND huyện")
    review_announces(system,
                     (events.NOMINATION_CHANGED, str(7000 + model_id), 1,
                      nomination(model_id, 1, "proposed")),
                     (events.NOMINATION_CHANGED, str(7000 + model_id), 2, decided),
                     (events.NOMINATION_CHANGED, str(7000 + model_id), 1,
                      nomination(model_id, 1, "proposed")))
    told(system, "donvi", "131/QĐ-UBND", "ngày 12/7/2024", "Giấy khen")
    about = [text for text in notes(system, "donvi") if "131/QĐ-UBND" in text]
    assert len(about) == 1  # the older news, arriving again, tells nobody
