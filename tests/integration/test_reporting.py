"""The district report, built from what units registered and reported through intake's own handlers.

A small Con Cuông data set goes in through the same handlers the pages and the API
call (registrations submitted, review's decisions arriving as events, a result
report with its figures), on the embedded engines and on PostgreSQL and Redis.
The report page, its JSON, the XLSX and the DOCX written by the rq worker must all
show the same figures; each reader sees their own area's report only.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count

import pytest
from docx import Document
from openpyxl import load_workbook

from intake_service.accounts import services as accounts
from intake_service.app import create_app
from intake_service.periods import services as periods
from intake_service.results import services as reports
from intake_service.submissions import services as intake_services
from shared import events
from shared.identity import Identity
from shared.settings import from_env
from tests.support.jobs import run_jobs
from tests.support.people import add_people, browser
from tests.support.web import csrf

pytestmark = pytest.mark.integration

PEOPLE = {
    "hoa": ("Lô Thị Hoa", "submitter", "mon-son"),
    "tam": ("Vi Văn Tâm", "submitter", "chau-khe"),
    "nga": ("Vi Thị Nga", "submitter", "bong-khe"),
    "im": ("Kha Văn Im", "submitter", "yen-khe"),  # registers nothing: reported not at all
    "lanhdao": ("Lương Thị Ngọc", "viewer", "con-cuong"),
    "xa": ("Lương Văn Thắng", "commune_reviewer", "mon-son"),
    "xa2025": ("Moong Thị Hương", "commune_reviewer", "con-cuong-2025"),
    "quantri": ("Quản trị", "admin", "con-cuong"),
}
ADMIN = Identity(0, "Quản trị", "admin", "con-cuong")
FIGURES = {"money_vnd": Decimal(1_139_000_000), "labour_days": Decimal(8524), "land_m2": Decimal(9952),
           "road_km": Decimal(569)}


@pytest.fixture
def app(intake_env, monkeypatch):
    # A queue of this run's own: the real Redis is shared with other test runs.
    app = create_app(from_env())
    app.people = {username: accounts.identity_of(user)
                  for username, user in add_people(app.extensions["intake"].sessions, PEOPLE).items()}
    yield app
    app.extensions["intake"].engine.dispose()


class Units:
    """Registers, submits and has review decide, through intake's handlers and review's events."""

    def __init__(self, app):
        self.intake, self.people = app.extensions["intake"], app.people
        self.versions = count(1)

    def register(self, who: str, title: str, field: str, subject: str, *, unit: str | None = None,
                 person: str | None = None, outcome: str | None = "approved") -> int:
        data = {"title": title, "field": field, "subject_type": subject,
                "commune_code": self.people[who].scope, "unit_name": unit, "person_name": person}
        with self.intake.uow() as uow:
            sid = intake_services.save_draft(intake_services.SaveDraft(
                self.people[who], data, and_submit=outcome != "draft"), uow).id
        if outcome not in (None, "draft"):
            self.decide(sid, outcome)
        return sid

    def decide(self, sid: int, outcome: str) -> None:
        event = events.Event(type=events.REVIEW_DECISION_RECORDED, producer="review",
                             aggregate_id=str(sid), aggregate_version=next(self.versions) + 100, payload={
                                 "submission_id": sid, "item_id": sid, "decision": outcome[:-2] if outcome
                                 != "approved" else "approve", "outcome": outcome, "from_stage": "commune",
                                 "to_stage": None, "comment": "Ý kiến" if outcome != "approved" else None,
                                 "actor": {"id": 9, "name": "Người duyệt"}, "decided_at": datetime.now(UTC)})
        with self.intake.uow() as uow:
            intake_services.on_decision_recorded(event, uow)
            uow.commit()

    def withdraw(self, who: str, sid: int) -> None:
        with self.intake.uow() as uow:
            intake_services.withdraw(intake_services.Withdraw(self.people[who], sid), uow)

    def report(self, who: str, model: int, period_id: int, figures: dict) -> None:
        with self.intake.uow() as uow:
            sid = reports.save_report(reports.SaveReport(
                self.people[who], {"period_id": period_id, "narrative": "Kết quả", **figures},
                model_id=model, and_submit=True), uow).id
        self.decide(sid, "approved")

    def open(self, year: int, close_after: bool = False):
        with self.intake.uow() as uow:
            period = periods.open_period(periods.OpenPeriod(
                ADMIN, "H1", year, ("registrations", "reports"), date(year, 1, 1), date(year, 6, 10)), uow)
        return period.id

    def close(self, period_id: int) -> None:
        with self.intake.uow() as uow:
            periods.close_period(periods.ClosePeriod(ADMIN, period_id), uow)


@pytest.fixture
def data(app):
    """H1 2023: one model. H1 2024: eight registered models in three communes, and some that do not count."""
    units = Units(app)
    h1_2023 = units.open(2023)
    units.register("hoa", "Nuôi ong lấy mật bản Xiềng", "economy", "collective", unit="Hội LHPN xã Môn Sơn")
    units.close(h1_2023)
    h1_2024 = units.open(2024)
    road = units.register("hoa", "Hiến đất làm đường bản Tạng", "new_rural", "collective",
                          unit="Hội LHPN xã Môn Sơn")
    units.register("hoa", "Trồng quế theo tổ hợp tác", "economy", "collective", unit="Hội LHPN xã Môn Sơn")
    units.register("hoa", "Đội văn nghệ thanh niên bản", "culture_society", "collective",
                   unit="Đoàn TN xã Môn Sơn", outcome=None)  # still waiting at the commune
    units.register("hoa", "Nuôi bò sinh sản", "economy", "individual", person="Lô Văn Minh")
    units.register("hoa", "Bản nháp chưa gửi", "economy", "collective", unit="Hội LHPN xã Môn Sơn",
                   outcome="draft")
    units.withdraw("hoa", units.register("hoa", "Mô hình đã rút", "economy", "collective",
                                         unit="Hội LHPN xã Môn Sơn", outcome=None))
    units.register("tam", "Tuần tra biên giới cùng dân bản", "defense_security", "collective",
                   unit="Đồn Biên phòng Châu Khê")
    units.register("tam", "Dân bản tự quản an ninh", "defense_security", "collective",
                   unit="Đồn Biên phòng Châu Khê")
    units.register("tam", "Mô hình bị từ chối", "economy", "collective", unit="Đồn Biên phòng Châu Khê",
                   outcome="rejected")
    units.register("nga", "Hiến đất mở đường nội đồng", "new_rural", "individual", person="Vi Thị Nga")
    units.register("nga", "Giữ gìn điệu khắp Thái", "culture_society", "individual", person="Vi Thị Nga",
                   outcome="returned")
    units.report("hoa", road, h1_2024, FIGURES)
    return {"h1_2023": h1_2023, "h1_2024": h1_2024}


def client_of(app, username: str, lang: str = "en"):
    return browser(app, username, lang)


def cells(page: str, table_id: str, key: str, value: str) -> list[str]:
    """The numbers of one row of one table of the page, as shown."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    row = re.search(rf'<tr[^>]*{key}="{value}".*?</tr>', table, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_district_report_counts_registered_models_units_and_people_as_the_seed_table_does(app, data):
    page = client_of(app, "lanhdao").get(f"/report?org=con-cuong&period={data['h1_2024']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Subject type, units/people, models, then economy, culture, new rural, defence, political system.
    assert cells(html, "registered", "data-subject", "collective") == \
        ["Collective", "3", "5", "1", "1", "1", "2", "0"]
    assert cells(html, "registered", "data-subject", "individual") == \
        ["Individual", "2", "3", "1", "1", "1", "0", "0"]
    assert cells(html, "registered", "data-subject", "total")[2] == "8"
    assert cells(html, "by-commune", "data-commune", "mon-son")[1:6] == ["2", "3", "1", "1", "4"]
    assert cells(html, "comparison", "data-key", "total")[1:] == ["8", "1", "+7"]
    assert cells(html, "contributions", "data-indicator", "money_vnd")[1] == "1.139.000.000 đ"
    assert cells(html, "contributions", "data-indicator", "land_m2")[1] == "9.952 m²"
    # Registrations: 3 approved + the returned + one waiting (the rejected one apart); one report approved.
    assert cells(html, "review-status", "data-kind", "registration") == ["Model registrations", "6", "1",
                                                                         "1", "0", "1"]
    assert cells(html, "review-status", "data-kind", "result_report")[1] == "1"
    # Four units owe registrations and reports; Yên Khê's sent nothing after the 2024 deadline.
    assert cells(html, "timeliness", "data-item", "registrations") == ["Model registrations", "0", "3", "1",
                                                                       "0"]
    assert "Kha Văn Im" in html


def test_a_report_read_again_after_a_change_shows_the_change(app, data):
    client = client_of(app, "lanhdao")
    path = f"/report?org=con-cuong&period={data['h1_2024']}"
    assert cells(client.get(path).get_data(as_text=True), "registered", "data-subject", "total")[2] == "8"
    Units(app).register("tam", "Chi bộ bản vận động hiến đất", "political_system", "collective",
                        unit="Chi bộ bản Xiềng", outcome=None)
    again = client.get(path).get_data(as_text=True)
    assert cells(again, "registered", "data-subject", "total")[2] == "9"
    assert cells(again, "registered", "data-subject", "collective")[1] == "4"


def test_the_charts_are_small_svgs_with_their_labels_as_text(app, data):
    client = client_of(app, "lanhdao", lang="vi")
    client.get(f"/report?org=con-cuong&period={data['h1_2024']}")
    for name in ("fields", "communes", "periods"):
        with client.get(f"/report/charts/{name}.svg?org=con-cuong&period={data['h1_2024']}") as chart:
            assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
            svg = chart.get_data(as_text=True)
            assert len(chart.data) < 40_000 and "<text" in svg
    with client.get(f"/report/charts/fields.svg?org=con-cuong&period={data['h1_2024']}") as chart:
        assert "Kinh tế" in chart.get_data(as_text=True)


def test_a_2025_commune_asked_for_2024_shows_what_its_predecessors_registered(app, data):
    client = client_of(app, "xa2025")
    html = client.get(f"/report?org=con-cuong-2025&period={data['h1_2024']}").get_data(as_text=True)
    # Bồng Khê merged into Trà Lân, which is now part of the commune Con Cuông.
    assert cells(html, "registered", "data-subject", "individual")[:3] == ["Individual", "1", "2"]
    assert cells(html, "registered", "data-subject", "total")[2] == "2"
    assert "bong-khe" in html and "Môn Sơn" not in cells(html, "by-commune", "data-commune", "bong-khe")[0]


@pytest.mark.parametrize(("username", "org", "status"), [
    ("lanhdao", "con-cuong", 200), ("lanhdao", "mon-son", 200), ("xa", "mon-son", 200),
    ("xa", "con-cuong", 403), ("xa", "chau-khe", 403), ("hoa", "mon-son", 403),
    ("lanhdao", "*", 403), ("quantri", "*", 200), ("xa2025", "mon-son", 403)])
def test_each_reader_sees_the_reports_of_their_own_area_only(app, data, username, org, status):
    client = client_of(app, username)
    assert client.get(f"/report?org={org}&period={data['h1_2024']}").status_code == status
    token = client.get("/api/report", query_string={"org": org, "period": data["h1_2024"]})
    assert token.status_code == status


def test_a_commune_reviewer_sees_their_commune_and_the_api_gives_the_same_figures(app, data):
    body = client_of(app, "xa").get(f"/api/report?period={data['h1_2024']}").get_json()
    assert body["org_code"] == "mon-son"
    assert body["registered"]["total"] == 4
    assert body["registered"]["by_subject"]["collective"]["holders"] == 2
    assert body["contributions"]["money_vnd"] == "1139000000"


def test_an_unknown_org_unit_or_period_is_said_so_and_the_readers_own_area_is_shown(app, data):
    client = client_of(app, "lanhdao")
    page = client.get("/report?org=nowhere&period=999999")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "That org unit is not in the directory" in html
    assert 'id="registered"' in html


def run_worker() -> None:
    """What the Procfile's worker does, for the exports queued so far."""
    run_jobs()


def export(client, data, fmt: str) -> bytes:
    page = client.get(f"/report?org=con-cuong&period={data['h1_2024']}").get_data(as_text=True)
    started = client.post("/report/exports", data={"csrf_token": csrf(page), "org": "con-cuong",
                                                   "period": data["h1_2024"], "format": fmt})
    assert started.status_code == 303
    progress = started.headers["Location"]
    assert 'data-status="queued"' in client.get(progress).get_data(as_text=True)
    run_worker()
    done = client.get(progress, headers={"HX-Request": "true", "HX-Target": "export-progress"})
    html = done.get_data(as_text=True)
    assert 'data-status="done"' in html and "hx-trigger" not in html
    with client.get(re.search(r'href="([^"]+/download)"', html).group(1)) as download:
        assert download.status_code == 200
        return download.data


def test_the_xlsx_export_runs_as_a_job_and_holds_the_reports_tables(app, data):
    book = load_workbook(io.BytesIO(export(client_of(app, "lanhdao"), data, "xlsx")))
    registered = list(book["Models registered"].iter_rows(values_only=True))
    assert registered[2] == ("Collective", 3, 5, 1, 1, 1, 2, 0)
    assert registered[3] == ("Individual", 2, 3, 1, 1, 1, 0, 0)
    assert registered[4][2] == 8
    contributions = list(book["Contributions"].iter_rows(values_only=True))
    assert contributions[-1][1:5] == (1_139_000_000, 8524, 9952, 569)


def test_the_docx_export_is_the_official_layout_with_the_figures_filled_in(app, data):
    document = Document(io.BytesIO(export(client_of(app, "lanhdao"), data, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == ["I- ĐẶC ĐIỂM, TÌNH HÌNH", "II- CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN",
                        "III- KẾT QUẢ THỰC HIỆN", "IV- HẠN CHẾ, NGUYÊN NHÂN",
                        "V- NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024", "VI- KIẾN NGHỊ, ĐỀ XUẤT"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert ("tổng mô hình “Dân vận khéo” được đăng ký trên địa bàn huyện Con Cuông là 8 "
            "(Tập thể: 5 mô hình, cá nhân: 3 mô hình)") in text
    assert "tập thể: 3 đơn vị với 5 mô hình (kinh tế: 1 mô hình" in text
    assert "1.139.000.000 đồng tiền mặt, 8.524 công lao động" in text
    assert "9.952 m² đất, 569 km đường giao thông" in text
    table = document.tables[1]  # after the heading's table
    assert [c.text for c in table.rows[1].cells][:3] == ["Tập thể", "3", "5"]


def test_the_pdf_export_holds_the_figures(app, data):
    pdf = export(client_of(app, "lanhdao", lang="vi"), data, "pdf")
    assert pdf.startswith(b"%PDF")


def test_someone_elses_export_is_not_theirs_to_see(app, data):
    owner = client_of(app, "lanhdao")
    page = owner.get(f"/report?org=con-cuong&period={data['h1_2024']}").get_data(as_text=True)
    started = owner.post("/report/exports", data={"csrf_token": csrf(page), "org": "con-cuong",
                                                  "period": data["h1_2024"], "format": "xlsx"})
    assert client_of(app, "xa").get(started.headers["Location"]).status_code == 404


def test_the_dashboard_greets_each_role_with_what_concerns_them(app, data):
    viewer = client_of(app, "lanhdao").get("/dashboard").get_data(as_text=True)
    assert 'id="area-totals"' in viewer and 'id="open-report"' in viewer
    admin = client_of(app, "quantri").get("/dashboard").get_data(as_text=True)
    assert 'id="completeness"' in admin
    unit = client_of(app, "nga").get("/dashboard").get_data(as_text=True)
    assert "Giữ gìn điệu khắp Thái" in unit  # returned to her for changes
    landing = client_of(app, "lanhdao").get("/")
    assert landing.headers["Location"].endswith("/dashboard")
    assert client_of(app, "hoa").get("/").headers["Location"].endswith("/submissions")
