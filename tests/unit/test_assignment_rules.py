"""Who may claim, release and give a review item to whom."""

from __future__ import annotations

import pytest

from review_service.queue.tables import ReviewItem
from review_service.team.services import may_assign, may_claim, may_release
from shared.identity import Identity

THANG = Identity(1, "Lương Văn Thắng", "commune_reviewer", "mon-son")
NGA = Identity(2, "Vi Thị Nga", "commune_reviewer", "mon-son")
LAN = Identity(3, "Kha Thị Lan", "commune_reviewer", "chau-khe")
MAI = Identity(4, "Ngân Thị Mai", "district_reviewer", "con-cuong")
ADMIN = Identity(5, "Hà Văn Quản", "admin", "con-cuong")


def item(**changes) -> ReviewItem:
    values = {"stage": "commune", "status": "open", "commune_code": "mon-son",
              "district_code": "con-cuong", "assignee_id": None} | changes
    return ReviewItem(**values)


@pytest.mark.parametrize(("user", "changes", "allowed"), [
    (THANG, {}, True),
    (THANG, {"assignee_id": THANG.id}, True),
    (THANG, {"assignee_id": NGA.id}, False),  # a colleague holds it
    (THANG, {"status": "approved"}, False),
    (LAN, {}, False),  # another commune
    (MAI, {}, False),  # not the district's stage yet
    (MAI, {"stage": "district"}, True),
    (THANG, {"stage": "district"}, False),
    (ADMIN, {}, True),
])
def test_who_may_claim(user, changes, allowed):
    assert may_claim(user, item(**changes)) is allowed


@pytest.mark.parametrize(("user", "changes", "allowed"), [
    (THANG, {"assignee_id": THANG.id}, True),
    (NGA, {"assignee_id": THANG.id}, True),  # the team frees a forgotten item
    (THANG, {}, False),  # nobody holds it
    (LAN, {"assignee_id": THANG.id}, False),
])
def test_who_may_release(user, changes, allowed):
    assert may_release(user, item(**changes)) is allowed


@pytest.mark.parametrize(("user", "colleague", "changes", "allowed"), [
    (THANG, NGA, {}, True),
    (THANG, NGA, {"assignee_id": THANG.id}, True),
    (THANG, LAN, {}, False),  # same role, another area
    (THANG, MAI, {}, False),  # another role
    (LAN, THANG, {}, False),  # the assigner may not review it
    (THANG, NGA, {"status": "returned"}, False),
    (MAI, Identity(6, "Lò Văn Sáng", "district_reviewer", "con-cuong"), {"stage": "district"}, True),
])
def test_who_may_give_an_item_to_whom(user, colleague, changes, allowed):
    assert may_assign(user, colleague, item(**changes)) is allowed
