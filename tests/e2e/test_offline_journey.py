"""No edit lost in a mountain commune: forms keep every edit through a dropped connection.

A unit officer (or an inspector) opens a form saved on the server before, on a phone. The
connection drops; she changes one field, the status line says the change is on this device
only; she reloads the page, still offline, and it opens with what she typed (the service
worker kept the page, the browser its copy). The connection comes back: the change is sent,
the status line says the server has it. Opened afresh in another browser, the server's form
shows the offline edit and nothing else changed. Signing out removes what the browser kept.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import requests
from playwright.sync_api import Page, expect

from intake_service.periods.domain import today_in_vietnam
from shared import tokens
from tests.e2e.test_browser_journey import DELIVERY_S
from tests.e2e.test_committee_journey import cast, close, new_session, to_committee
from tests.e2e.test_nomination_journey import PHONE, exemplar, team_covering_mon_son
from tests.e2e.test_report_journey import ADMIN, DONVI
from tests.support.people import SECRET_KEY

VALUES = """form => Object.fromEntries(Array.from(form.elements)
    .filter(e => e.name && e.name !== 'csrf_token' && e.type !== 'file' && e.type !== 'submit')
    .map(e => [e.name, e.value]))"""
KEPT = """async () => !!navigator.serviceWorker.controller
    && !!(await (await caches.open('dvk-pages')).match(location.href))"""


def api(site, service: str, who, method: str, path: str, body: dict | None = None) -> dict:
    header = {"Authorization": f"Bearer {tokens.issue(SECRET_KEY, who)}"}
    url = f"{getattr(site, service)}{path}"
    response = requests.request(method, url, json=body, headers=header, timeout=10)
    assert response.status_code < 300, response.text
    return response.json()


def approved_model(people, site, title: str, vi) -> int:
    """A unit's model approved at commune, district and committee, as intake knows it."""
    model_id = int(to_committee(people, site, title, vi).rsplit("/", 1)[1])
    chair = people("chutich")
    session_url = new_session(chair, site, f"Phiên họp xét {title}", members=3)
    for member in ("chutich", "bcd", "bcd2"):
        cast(people(member), session_url, title, "approve")
    close(chair, session_url)
    deadline = time.monotonic() + DELIVERY_S
    while api(site, "intake", DONVI, "GET", f"/api/submissions/{model_id}")["status"] != "approved":
        assert time.monotonic() < deadline, f"«{title}» not approved at intake"
        time.sleep(0.3)
    return model_id


def values(page: Page, form: str) -> dict:
    return page.eval_on_selector(form, VALUES)


def on_a_phone(people, username: str, url: str) -> Page:
    """``username``'s phone showing ``url`` once its service worker has kept the page."""
    people(username)  # signed in
    page = people.context(username).new_page()
    page.set_viewport_size(PHONE)
    page.goto(url)
    page.wait_for_function(KEPT)
    return page


def edit_offline_and_come_back(people, username: str, url: str, form: str, field: str,
                               typed: str, vi, sent_text: str) -> dict:
    """The journey every form must survive; returns the form's values before the edit."""
    page = on_a_phone(people, username, url)
    before = values(page, form)
    assert before[field] != typed
    context = people.context(username)
    context.set_offline(True)
    page.wait_for_function("!navigator.onLine")
    page.fill(f"{form} [name={field}]", typed)
    status = page.locator(f"{form} #autosave")
    expect(status).to_have_text(vi("Saved on this device, not yet sent."))

    page.reload()  # offline: the kept page opens, with what was typed
    expect(page.locator(f"{form} [name={field}]")).to_have_value(typed)
    expect(status).to_have_text(vi("Saved on this device, not yet sent."))

    context.set_offline(False)  # the connection returns: the edit is sent by itself
    expect(status).to_have_attribute("data-state", "sent")
    expect(status).to_contain_text(sent_text)
    page.close()

    elsewhere = people.browser.new_context(locale="vi-VN")  # the server's copy, afresh
    try:
        fresh = elsewhere.new_page()
        fresh.goto(f"{people.site.intake}/login")
        people.sign_in(fresh, username)
        fresh.goto(url)
        after = values(fresh, form)
    finally:
        elsewhere.close()
    assert after == before | {field: typed}
    return before


def test_an_edit_to_a_saved_registration_made_offline_reaches_the_server(site, people, vi):
    saved = api(site, "intake", DONVI, "POST", "/api/submissions", {
        "title": "Tổ hòa giải bản Xiềng", "field": "defense_security",
        "subject_type": "collective", "unit_name": "Hội LHPN xã Môn Sơn",
        "commune_code": "mon-son", "situation": "Bản có nhiều tranh chấp đất đai."})
    url = f"{site.intake}/submissions/{saved['id']}/edit"
    edit_offline_and_come_back(people, "donvi", url, "form[data-keep]", "situation",
                               "Bản có 14 vụ tranh chấp đất đai năm 2023.", vi,
                               re.sub(r"%\(time\)s.*", "", vi("Draft kept on the server at %(time)s.")))


def test_signing_out_removes_what_the_browser_kept(site, people, vi):
    saved = api(site, "intake", DONVI, "POST", "/api/submissions", {
        "title": "Câu lạc bộ dân ca bản Cò Phạt", "field": "culture_society",
        "subject_type": "collective", "unit_name": "Hội LHPN xã Môn Sơn",
        "commune_code": "mon-son"})
    page = on_a_phone(people, "donvi", f"{site.intake}/submissions/{saved['id']}/edit")
    people.context("donvi").set_offline(True)
    page.fill("#situation", "Đang gõ dở khi mất sóng")
    expect(page.locator("#autosave")).to_have_text(vi("Saved on this device, not yet sent."))
    people.context("donvi").set_offline(False)
    page.locator("form[data-sign-out] button").click()
    expect(page.locator("#username")).to_be_visible()
    kept = page.evaluate("""async () => ({
        copies: Object.keys(localStorage).filter(k => k.startsWith('dvk:')),
        pages: await caches.has('dvk-pages')})""")
    assert kept == {"copies": [], "pages": False}


def test_an_edit_to_a_saved_amendment_made_offline_reaches_the_server(site, people, vi):
    model_id = approved_model(people, site, "Tổ tự quản đường làng bản Tạng", vi)
    amendment = api(site, "intake", DONVI, "POST", f"/api/models/{model_id}/amendments", {
        "title": "Tổ tự quản đường làng bản Tạng", "field": "new_rural",
        "objectives": "Giữ sạch 2 km đường", "reason": "Chỉ tiêu đặt trước khi có kinh phí."})
    edit_offline_and_come_back(people, "donvi", f"{site.intake}/amendments/{amendment['id']}/edit",
                               "form[data-keep]", "objectives", "Giữ sạch 3,5 km đường bê tông",
                               vi, vi("Saved on the server."))


def test_an_edit_to_a_saved_result_report_made_offline_reaches_the_server(site, people, vi):
    today = today_in_vietnam()
    period = api(site, "intake", ADMIN, "POST", "/api/periods", {
        "kind": "H1", "year": today.year, "due_items": ["registrations", "reports"],
        "opens_on": (today - timedelta(days=10)).isoformat(),
        "deadline": (today + timedelta(days=10)).isoformat()})
    model_id = approved_model(people, site, "Bê tông hóa đường bản Xiềng", vi)
    report = api(site, "intake", DONVI, "POST", f"/api/models/{model_id}/reports", {
        "period_id": period["id"], "narrative": "Đã làm 1 km đường."})
    edit_offline_and_come_back(people, "donvi", f"{site.intake}/reports/{report['id']}/edit",
                               "form[data-keep]", "narrative", "Đã làm 1,2 km đường, 40 hộ góp công.",
                               vi, vi("Saved on the server."))


def test_an_inspectors_findings_typed_offline_reach_the_server(site, people, vi):
    model = "Chi hội nông dân bản Khe Ló nuôi bò sinh sản"
    team_covering_mon_son(people, site)
    exemplar(people, site, model, vi)
    inspector = people("kiemtra")
    inspector.goto(f"{site.review}/inspections")
    task = inspector.locator(".task-row a", has_text=model)
    deadline = time.monotonic() + DELIVERY_S
    while not task.count():
        assert time.monotonic() < deadline, f"«{model}» not among the inspector's tasks"
        inspector.reload()
    task.click()
    expect(inspector.locator("h1")).to_have_text(model)
    url = inspector.url.split("#")[0]
    inspector.fill("#findings", "Có 12 con bò giống.")  # kept on the server as typed
    expect(inspector.locator("#autosave")).to_have_attribute("data-state", "sent")
    edit_offline_and_come_back(people, "kiemtra", url, "#conclude", "findings",
                               "Có 12 con bò giống, 9 con đã đẻ; sổ theo dõi đầy đủ.", vi,
                               re.sub(r"%\(time\)s.*", "", vi("Kept on the server at %(time)s.")))
