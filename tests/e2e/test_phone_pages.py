"""Every page of every role on a phone: nothing scrolls sideways, fingers can hit every button.

The system is seeded as people would leave it (a model through review and the committee, its
nomination inspected on site and its dossier made, an amendment and a result report in draft,
a draft registration, an import, an inspection plan, a report export). The pages are every GET
route of both apps' url_maps, with real ids from that system, so a new page is covered as soon
as it exists — and this test fails, naming it, if no id is known for one of its parts. Each
person opens each page at 360 × 640 and 390 × 844; a page wider than the screen fails, and so
does a button, field or header link under 44 px high at 360 × 640.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests
from playwright.sync_api import BrowserContext

from intake_service.app import create_app as create_intake
from intake_service.manage import DEMO_USERS
from intake_service.periods.domain import today_in_vietnam
from review_service.app import create_app as create_review
from shared import tokens
from shared.identity import Identity
from shared.settings import from_env
from tests.e2e.conftest import WAIT_MS, People
from tests.e2e.test_bulk_import_journey import fill, row
from tests.e2e.test_nomination_journey import exemplar, inspect, team_covering_mon_son
from tests.support.people import SECRET_KEY

SIZES = ({"width": 360, "height": 640}, {"width": 390, "height": 844})
MODEL = "Hội Nông dân xã Môn Sơn trồng rừng gỗ lớn bản Xiềng"
NOT_PAGES = re.compile(r"^/(api/|static/|metrics$|healthz$|readyz$|lang/|sw\.js$)")
PEOPLE = {username: Identity(number, name, role, scope)
          for number, (username, name, role, scope) in enumerate(DEMO_USERS, start=1)}
TAP_TARGETS = """() => Array.from(document.querySelectorAll(
        'main form button, main form select, main form input:not([type=hidden]):not([type=checkbox])'
        + ':not([type=radio]), main a.button, header nav a, header nav button'))
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0)
    .map(e => ({what: e.outerHTML.slice(0, 90), height: e.getBoundingClientRect().height}))
    .filter(t => t.height < 44)"""


def call(site, service: str, who: str, method: str, path: str, **kwargs) -> requests.Response:
    header = {"Authorization": f"Bearer {tokens.issue(SECRET_KEY, PEOPLE[who])}"}
    response = requests.request(method, f"{getattr(site, service)}{path}", headers=header,
                                timeout=30, **kwargs)
    assert response.status_code < 300, f"{method} {path}: {response.text}"
    return response


def api(site, service: str, who: str, method: str, path: str, **kwargs) -> dict:
    return call(site, service, who, method, path, **kwargs).json()


def seed(site, crowd: People, vi, folder) -> dict[str, list[str]]:
    """What people leave in the system; returns the ids to use for each part of a route."""
    team_covering_mon_son(crowd, site)
    model_id = int(exemplar(crowd, site, MODEL, vi).rsplit("/", 1)[1])
    inspect(crowd, site, MODEL, "verified", "met", "Đã trồng 30 ha; sổ sách đầy đủ.", folder)
    task = api(site, "review", "admin", "GET", "/api/inspections/tasks")["items"][0]
    dossier = api(site, "review", "huyen", "POST", "/api/nominations/dossiers",
                  json={"nomination_ids": [task["nomination_id"]]})
    today = today_in_vietnam()
    period = api(site, "intake", "admin", "POST", "/api/periods", json={
        "kind": "H1", "year": today.year, "due_items": ["registrations", "reports"],
        "opens_on": (today - timedelta(days=10)).isoformat(),
        "deadline": (today + timedelta(days=10)).isoformat()})
    report = api(site, "intake", "donvi", "POST", f"/api/models/{model_id}/reports",
                 json={"period_id": period["id"], "narrative": "Đã trồng 30 ha rừng gỗ lớn."})
    amendment = api(site, "intake", "donvi", "POST", f"/api/models/{model_id}/amendments", json={
        "title": MODEL, "field": "new_rural", "objectives": "Trồng 40 ha",
        "reason": "Chỉ tiêu đặt trước khi có kinh phí."})
    draft = api(site, "intake", "donvi", "POST", "/api/submissions", json={
        "title": "Tổ liên gia tự quản bản Tạng", "field": "defense_security",
        "subject_type": "collective", "unit_name": "Hội LHPN xã Môn Sơn",
        "commune_code": "mon-son"})
    crowd("donvi")  # the template is a page's download, for a signed-in unit
    template = crowd.context("donvi").request.get(f"{site.intake}/submissions/import/template.xlsx")
    (folder / "mau.xlsx").write_bytes(template.body())
    workbook = fill(folder / "mau.xlsx", [row(1)], folder / "dang-ky.xlsx")
    upload = api(site, "intake", "donvi", "POST", "/api/imports",
                 files={"file": ("dang-ky.xlsx", workbook.read_bytes())})
    plan = api(site, "review", "admin", "POST", "/api/inspections/plans", json={
        "label": "Kiểm tra 6 tháng đầu năm", "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=60)).isoformat(), "seed": 20240601})
    reader = crowd("huyen")
    reader.goto(f"{site.intake}/report")
    reader.select_option("#format", "xlsx")
    reader.locator("#start-export").click()
    reader.wait_for_url(re.compile(r".*/report/exports/\d+$"))
    session = api(site, "review", "chutich", "GET", "/api/committee/sessions")["items"][0]
    team = api(site, "review", "admin", "GET", "/api/inspections/teams")["items"][0]
    task = api(site, "review", "admin", "GET", f"/api/inspections/tasks/{task['id']}")
    ids = {  # a submission is a model, a draft registration, an amendment or a result report
        "submission_id": [model_id, draft["id"], amendment["id"], report["id"]],
        "model_id": str(model_id),
        "amendment_id": str(amendment["id"]), "report_id": str(report["id"]),
        "import_id": str(upload["id"]), "export_id": reader.url.rsplit("/", 1)[1],
        "item_id": str(task["item_id"]), "session_id": str(session["id"]),
        "plan_id": str(plan["id"]), "task_id": str(task["id"]), "team_id": str(team["id"]),
        "nomination_id": str(task["nomination_id"]), "dossier_id": str(dossier["id"]),
        "evidence_id": str(task["evidence"][0]["id"]) if task.get("evidence") else "1",
        "user_id": str(PEOPLE["donvi"].id), "name": "fields", "kind": "docx",
    }
    return {part: [str(v) for v in value] if isinstance(value, list) else [value]
            for part, value in ids.items()}


def pages(site, ids: dict[str, list[str]]) -> list[str]:
    """Every GET route of both apps that may be a page, its parts filled with real ids."""
    urls, unknown = [], []
    for base, create in ((site.intake, create_intake), (site.review, create_review)):
        app = create(from_env(site.env))
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or NOT_PAGES.match(rule.rule):
                continue
            missing = [a for a in rule.arguments if a not in ids]
            if missing:
                unknown.append(f"{rule.rule} ({', '.join(missing)})")
                continue
            for n in range(max([len(ids[a]) for a in rule.arguments], default=1)):
                values = {a: ids[a][min(n, len(ids[a]) - 1)] for a in rule.arguments}
                with app.test_request_context():
                    urls.append(f"{base}{app.url_for(rule.endpoint, **values)}")
    assert not unknown, f"no seeded id for these pages: {unknown}; add one in seed()"
    return sorted(set(urls))


@pytest.fixture(scope="module")
def seeded(site, browser, vi, tmp_path_factory) -> list[str]:
    crowd = People(browser, site)
    try:
        ids = seed(site, crowd, vi, tmp_path_factory.mktemp("photos"))
    finally:
        crowd.close()
    return pages(site, ids)


def too_wide(context: BrowserContext, url: str) -> list[str]:
    """What does not fit a phone on the page at ``url`` (nothing when it is not a page)."""
    response = context.request.get(url, max_redirects=0)
    if response.status in (301, 302, 303) or "text/html" not in response.headers.get("content-type", ""):
        return []
    page = context.new_page()
    try:
        page.set_viewport_size(SIZES[0])
        page.goto(url, wait_until="load")
        faults = []
        for size in SIZES:
            page.set_viewport_size(size)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                faults.append(f"{url} is {width} px wide at {size['width']}×{size['height']}")
        page.set_viewport_size(SIZES[0])
        faults += [f"{url}: {t['what']} is {t['height']:.0f} px high"
                   for t in page.evaluate(TAP_TARGETS)]
        return faults
    finally:
        page.close()


@pytest.mark.parametrize("username", [user[0] for user in DEMO_USERS])
def test_every_page_fits_a_phone(site, browser, seeded, username):
    crowd = People(browser, site)
    try:
        crowd(username)
        context = crowd.context(username)
        context.set_default_timeout(WAIT_MS)
        faults = [fault for url in seeded for fault in too_wide(context, url)]
    finally:
        crowd.close()
    assert not faults, "\n".join(faults)
