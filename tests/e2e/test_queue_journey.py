"""Reviewers work the queue as a team in a real browser: filter, claim, return; approve in bulk.

The reviewers here read the interface in English (the ``lang`` cookie), so the page's
own words can be checked without the Vietnamese catalogue.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import update

from review_service.bootstrap import bootstrap
from review_service.queue import deadlines
from review_service.queue.tables import ReviewItem
from shared.settings import from_env
from tests.e2e.test_browser_journey import open_queue, register, reload_until


def in_english(people, username: str):
    people.context(username).add_cookies([{"name": "lang", "value": "en",
                                           "url": people.site.review}])
    return people(username)


def test_the_commune_claims_and_returns_one_model_and_the_district_approves_two_at_once(
        site, people):
    returned = "Tổ hòa giải bản Xiềng giữ bình yên xóm"
    approved = ["Hội Nông dân xã Môn Sơn nuôi bò sinh sản", "Chi hội phụ nữ bản Nưa tiết kiệm"]
    hoa = people("donvi")
    register(hoa, site, returned, field="defense_security")
    for title in approved:
        register(hoa, site, title, field="economy")

    thang = in_english(people, "xa")
    open_queue(thang, site)
    for title in [returned, *approved]:
        reload_until(thang, f"{site.review}/queue", thang.locator("#items a", has_text=title),
                     f"«{title}» in the commune queue")

    # He narrows the queue to defence and security: only that model stays.
    thang.select_option("#field", "defense_security")
    expect(thang).to_have_url(re.compile(r"field=defense_security"))
    expect(thang.locator("#items tbody tr")).to_have_count(1)
    row = thang.locator("#items tbody tr", has_text=returned)
    row.locator("button.claim").click()
    expect(thang.locator(".flash")).to_have_text("You now hold this item.")
    expect(thang.locator("#items tbody tr", has_text=returned).locator(".holder")).to_contain_text("You")

    thang.locator("#items a", has_text=returned).click()
    expect(thang.locator("#holder")).to_contain_text("You hold this item.")
    thang.fill("#comment", "Ghi rõ số vụ hòa giải thành")
    thang.locator("button[name=decision][value=return]").click()
    expect(thang).to_have_url(f"{site.review}/queue")
    expect(thang.locator("#items a", has_text=returned)).to_have_count(0)

    # The two others go on to the district together.
    for title in approved:
        thang.locator("#items tbody tr", has_text=title).locator("input[name=selected]").check()
    thang.locator("#approve-selected").click()
    expect(thang.locator("#approved-count")).to_have_text("Approved: 2")

    mai = in_english(people, "huyen")
    open_queue(mai, site)
    for title in approved:
        expect(mai.locator("#items a", has_text=title)).to_have_count(1)
        mai.locator("#items tbody tr", has_text=title).locator("input[name=selected]").check()
    mai.locator("#approve-selected").click()
    expect(mai.locator("#approved-count")).to_have_text("Approved: 2")
    expect(mai.locator("#refused")).to_have_count(0)
    mai.locator("main a.button").click()
    for title in approved:
        expect(mai.locator("#items a", has_text=title)).to_have_count(0)


def test_an_item_left_past_its_due_time_is_flagged_and_brought_to_the_district(
        site, people, monkeypatch):
    waiting = "Tổ tự quản bản Cống giữ vệ sinh đường làng"
    register(people("donvi"), site, waiting, field="culture_society")
    thang = in_english(people, "xa")
    open_queue(thang, site)
    reload_until(thang, f"{site.review}/queue", thang.locator("#items a", has_text=waiting),
                 f"«{waiting}» in the commune queue")

    # Four days pass without a decision; the scheduler's hourly sweep runs (here, twice).
    for key, value in site.env.items():
        monkeypatch.setenv(key, value)
    review = bootstrap(from_env())
    with review.uow() as uow:
        uow.session.execute(update(ReviewItem).where(ReviewItem.title == waiting)
                            .values(due_at=datetime.now(UTC) - timedelta(days=4)))
        uow.commit()
    review.engine.dispose()
    assert deadlines.run_sweep() == 1

    row = thang.locator("#items tbody tr", has_text=waiting)
    reload_until(thang, f"{site.review}/queue", row.locator("[data-escalated]"),
                 "the escalation flag in the commune queue")
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("Escalated")

    mai = in_english(people, "huyen")
    mai.context.add_cookies([{"name": "lang", "value": "en", "url": site.intake}])
    told = mai.locator("#notifications li", has_text=waiting)
    reload_until(mai, f"{site.intake}/notifications", told, "the escalation at the district")
    expect(told).to_contain_text("it is brought to you to follow up")
