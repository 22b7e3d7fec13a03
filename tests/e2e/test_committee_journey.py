"""The steering committee decides in session: a unit's model, approved by commune and district,
goes on the chair's agenda; members vote; closing the vote approves it, or without a quorum
leaves it for the next session. Committee screens are checked by their ids and classes."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_browser_journey import POLL_MS, approve, register, reload_until


def to_committee(people, site, title: str, vi) -> str:
    """A unit registers ``title``; commune and district approve it. Returns its status page."""
    status_page = register(people("donvi"), site, title)
    approve(people("xa"), site, title, vi("Commune"), vi)
    approve(people("huyen"), site, title, vi("District"), vi)
    return status_page


def new_session(chair: Page, site, title: str, members: int) -> str:
    """The chair follows the header link, waits for the item, and sets up a session."""
    chair.locator(f"header nav a[href='{site.review}/committee']").click()
    expect(chair).to_have_url(f"{site.review}/committee")
    reload_until(chair, f"{site.review}/committee",
                 chair.locator("#waiting-count", has_text=re.compile(r"^[1-9]\d*$")),
                 "an item waiting at the committee stage")
    chair.fill("#title", title)
    chair.fill("#meeting_date", "2026-12-15")
    chair.fill("#member_count", str(members))
    chair.locator("#new-session button[type=submit]").click()
    expect(chair).to_have_url(re.compile(rf"^{site.review}/committee/\d+$"))
    expect(chair.locator("#session-status")).to_have_class("draft")
    chair.locator("#open-vote").click()
    expect(chair.locator("#session-status")).to_have_class("open")
    return chair.url


def cast(page: Page, session_url: str, model: str, choice: str) -> None:
    page.goto(session_url)
    entry = page.locator(".agenda-entry", has_text=model)
    entry.locator(f"button[name=choice][value={choice}]").click()
    expect(page.locator(".agenda-entry", has_text=model).locator(".my-vote")).to_have_class(
        re.compile(rf"\b{choice}\b"))


def close(chair: Page, session_url: str) -> None:
    chair.goto(session_url)
    chair.locator("#close-vote").click()
    expect(chair.locator("#session-status")).to_have_class("closed")


def committee_approves(people, site, model: str) -> None:
    """The committee decides ``model`` in a session of two: the chair and a member approve it,
    the chair closes the vote (other items on the agenda get no vote and stay open)."""
    chair = people("chutich")
    session_url = new_session(chair, site, f"Phiên họp về {model}"[:300], members=2)
    cast(chair, session_url, model, "approve")
    cast(people("bcd"), session_url, model, "approve")
    close(chair, session_url)
    expect(chair.locator(".agenda-entry", has_text=model).locator(".outcome")).to_have_class(
        re.compile(r"\bapproved\b"))


def test_with_a_quorum_the_committee_approves_and_the_unit_sees_it(site, people, vi):
    model = "Tổ hòa giải bản Xiềng giữ bình yên thôn xóm"
    status_page = to_committee(people, site, model, vi)
    chair = people("chutich")
    session_url = new_session(chair, site, "Phiên họp Ban Chỉ đạo tháng 12", members=3)
    cast(chair, session_url, model, "approve")
    cast(people("bcd"), session_url, model, "approve")
    cast(people("bcd2"), session_url, model, "abstain")
    close(chair, session_url)
    entry = chair.locator(".agenda-entry", has_text=model)
    expect(entry.locator(".outcome")).to_have_class(re.compile(r"\bapproved\b"))
    expect(entry.locator(".tallies .approve")).to_have_text("2")
    expect(chair.locator("#attendance")).to_contain_text("Vi Thị Thu")
    minutes = f"{session_url.removeprefix(site.review)}/minutes.docx"
    expect(chair.locator("#minutes")).to_have_attribute("href", minutes)

    hoa = people("donvi")
    reload_until(hoa, status_page, hoa.locator("#current-status.approved"),
                 "the committee's approval on the unit's status page")
    expect(hoa.locator("#current-status")).to_have_text(vi("Approved"), timeout=POLL_MS)


def test_without_a_quorum_the_model_stays_open_at_the_committee(site, people, vi):
    model = "Đoàn thanh niên xã Châu Khê làm đường giao thông"
    status_page = to_committee(people, site, model, vi)
    chair = people("chutich")
    session_url = new_session(chair, site, "Phiên họp bất thường", members=9)
    cast(chair, session_url, model, "approve")
    cast(people("bcd"), session_url, model, "approve")
    close(chair, session_url)
    entry = chair.locator(".agenda-entry", has_text=model)
    expect(entry.locator(".outcome")).to_have_class(re.compile(r"\bno_quorum\b"))

    hoa = people("donvi")
    hoa.goto(status_page)
    expect(hoa.locator("#current-status")).to_have_class(re.compile(r"\bin_review\b"))
    chair.goto(f"{site.review}/committee")
    expect(chair.locator("#waiting-count")).to_have_text("1")
