"""The district opens its report in a real browser against the Procfile's processes: it reads the
table of models by field and subject type and a chart, starts an XLSX export, watches the
progress bar while the rq worker writes it, and downloads the workbook.

The administrator opens the period and a unit registers its models through the JSON API first,
as their own programs would; the report counts what was sent.
"""

from __future__ import annotations

from datetime import timedelta

import requests
from openpyxl import load_workbook
from playwright.sync_api import expect

from intake_service.periods.domain import today_in_vietnam
from shared import tokens
from shared.identity import Identity
from tests.support.people import SECRET_KEY

# Demo users in the order ``manage seed-demo`` creates them.
DONVI = Identity(1, "Lô Thị Hoa — Hội LHPN xã Môn Sơn", "submitter", "mon-son")
ADMIN = Identity(9, "Quản trị hệ thống", "admin", "con-cuong")
EXPORT_MS = 60_000  # the worker picks the job up and writes the workbook on a cold machine


def api(site, who: Identity, path: str, body: dict) -> dict:
    header = {"Authorization": f"Bearer {tokens.issue(SECRET_KEY, who)}"}
    response = requests.post(f"{site.intake}{path}", json=body, headers=header, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def registrations(site) -> None:
    today = today_in_vietnam()
    api(site, ADMIN, "/api/periods", {"kind": "H1", "year": today.year,
                                      "due_items": ["registrations", "reports"],
                                      "opens_on": (today - timedelta(days=10)).isoformat(),
                                      "deadline": (today + timedelta(days=10)).isoformat()})
    for title, field, subject, holder in (
            ("Hiến đất làm đường bản Tạng", "new_rural", "collective", {"unit_name": "Hội LHPN xã Môn Sơn"}),
            ("Nuôi ong lấy mật", "economy", "collective", {"unit_name": "Hội LHPN xã Môn Sơn"}),
            ("Gương mẫu giữ rừng", "economy", "individual", {"person_name": "Lô Văn Minh"})):
        api(site, DONVI, "/api/submissions", {"title": title, "field": field, "subject_type": subject,
                                              "commune_code": "mon-son", "submit": True, **holder})


def test_the_district_reads_its_report_and_downloads_it_as_a_workbook(site, people, tmp_path, vi):
    registrations(site)
    huyen = people("huyen")
    expect(huyen).to_have_url(f"{site.intake}/dashboard")  # the landing page of a district reader
    huyen.locator("#open-report").click()
    expect(huyen.locator("h1")).to_contain_text("Huyện Con Cuông")
    table = huyen.locator("#registered")
    expect(table.locator("tr[data-subject=collective] td[data-models]")).to_have_text("2")
    expect(table.locator("tr[data-subject=individual] td[data-holders]")).to_have_text("1")
    expect(table.locator("tr[data-subject=total] td[data-models]")).to_have_text("3")
    # This year's figures are shown under the communes of today's map: Môn Sơn since July 2025.
    expect(huyen.locator("#by-commune tr[data-commune=mon-son-2025] td[data-models]")).to_have_text("3")
    chart = huyen.locator("#chart-fields")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    huyen.wait_for_function("document.querySelector('#chart-fields').naturalWidth > 0")

    huyen.select_option("#format", "xlsx")
    huyen.locator("#start-export").click()
    expect(huyen.locator("h1")).to_have_text(vi("Export of the report"))
    expect(huyen.locator("#export-progress")).to_have_attribute("data-status", "done", timeout=EXPORT_MS)
    with huyen.expect_download() as download:
        huyen.locator("#download").click()
    path = tmp_path / "bao-cao.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][1:3] == (1, 2) and rows[3][1:3] == (1, 1) and rows[4][2] == 3
