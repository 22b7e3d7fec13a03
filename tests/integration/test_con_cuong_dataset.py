"""The Con Cuông data set, loaded through the services' own interfaces, holds the seed report's
figures (H1 2024): 177 models by field and subject type, 27 units and 73 people, and the
contributions mobilised for new-rural work; the district's report, its XLSX and its DOCX show
exactly those figures; loading it twice adds nothing."""

from __future__ import annotations

import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from demo import con_cuong as data
from demo.load import load
from intake_service.accounts.tables import User
from intake_service.app import create_app as create_intake
from intake_service.periods.tables import Period
from intake_service.results.tables import ReportFigure
from intake_service.submissions.tables import Submission
from shared.identity import ROLES
from tests.support.jobs import run_jobs
from tests.support.web import csrf


@pytest.fixture(scope="module")
def loaded(system):
    """The data set loaded once, then loaded again; both runs' summaries."""
    first = load(system.intake.application, system.review.application, log=lambda _line: None)
    again = load(system.intake.application, system.review.application, log=lambda _line: None)
    return system, first, again


def intake_db(system):
    return system.intake.application.extensions["intake"].sessions()


def registrations(db) -> list[Submission]:
    """The H1-2024 registrations, as intake (the database of record) holds them."""
    period = db.scalar(select(Period).where(Period.kind == "H1", Period.year == 2024))
    return list(db.scalars(select(Submission).where(Submission.kind == "registration",
                                                    Submission.period_id == period.id)))


def admin_api(system, path: str, **query) -> dict:
    response = system.intake.get(path, query_string=query, headers=bearer(system, "admin"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def bearer(system, username: str) -> dict:
    from intake_service.accounts import services as accounts
    from shared import tokens

    with intake_db(system) as db:
        user = db.scalar(select(User).where(User.username == username))
        return {"Authorization": "Bearer " + tokens.issue(system.settings.secret_key,
                                                          accounts.identity_of(user))}


def test_the_district_registered_the_seeds_models_by_field_and_subject_type(loaded):
    system, first, _again = loaded
    assert first.added["registrations"] == data.TOTAL_MODELS
    with intake_db(system) as db:
        models = registrations(db)
        by_field = Counter((m.subject_type, m.field) for m in models)
        assert len(models) == 177
        assert {(s, f): n for (s, f), n in by_field.items()} == {
            ("collective", "economy"): 24, ("collective", "culture_society"): 28,
            ("collective", "new_rural"): 23, ("collective", "defense_security"): 14,
            ("collective", "political_system"): 11,
            ("individual", "economy"): 34, ("individual", "culture_society"): 15,
            ("individual", "new_rural"): 16, ("individual", "defense_security"): 6,
            ("individual", "political_system"): 6,
        }
        assert len({m.unit_name for m in models if m.subject_type == "collective"}) == 27
        assert len({m.person_name for m in models if m.subject_type == "individual"}) == 73
        assert len({m.commune_code for m in models}) == 13  # every commune and the township


def test_every_registration_went_through_review_and_was_approved(loaded):
    system, first, _again = loaded
    with intake_db(system) as db:
        models = registrations(db)
        assert Counter(m.status for m in models) == {"approved": 177}
        assert {m.stage for m in models} == {"committee"}  # recognised by the committee
        returned = [m for m in models if any(h.to_status == "returned" for h in m.history)]
        assert len(returned) == len(data.RETURNED_AT_COMMUNE) + len(data.RETURNED_AT_DISTRICT)
    assert first.added["committee sessions"] == len(data.SESSIONS)
    sessions = system.review.get("/api/committee/sessions", headers=bearer(system, "chutich"))
    assert {s["status"] for s in sessions.get_json()["items"]} == {"closed"}
    one = sessions.get_json()["items"][0]["id"]
    shown = system.review.get(f"/api/committee/sessions/{one}",
                              headers=bearer(system, "chutich")).get_json()
    assert all(len(entry["votes"]) == 15 for entry in shown["agenda"])  # 15 of 20 came


def test_the_new_rural_results_add_up_to_the_seeds_contributions(loaded):
    system, first, _again = loaded
    assert first.added["result reports"] == len(data.REPORTS)
    with intake_db(system) as db:
        reports = select(Submission.id).where(Submission.kind == "result_report",
                                              Submission.status == "approved")
        totals = dict(db.execute(select(ReportFigure.code, func.sum(ReportFigure.value))
                                 .where(ReportFigure.submission_id.in_(reports))
                                 .group_by(ReportFigure.code)).all())
        not_approved = db.scalar(select(func.count()).select_from(Submission).where(
            Submission.kind == "result_report", Submission.status != "approved"))
        corrected = [r for r in db.scalars(select(Submission).where(
            Submission.kind == "result_report")) if any(h.to_status == "returned" for h in r.history)]
        assert [r.model.title for r in corrected] == [
            data.MODEL_BY_KEY[data.RETURNED_REPORT].title]  # the commune returned it, then approved
    assert {code: Decimal(value) for code, value in totals.items()} == {
        "money_vnd": Decimal("1139000000"), "labour_days": Decimal("8524"),
        "land_m2": Decimal("9952"), "road_km": Decimal("569")}
    assert not_approved == 0


def test_the_directory_holds_the_district_its_villages_committee_and_merges(loaded):
    system, _first, _again = loaded
    tree = admin_api(system, "/api/directory/org-units", on="2024-06-10")["items"]
    communes = [u for u in tree if u["parent_code"] == "con-cuong"]
    villages = [u for u in tree if u["level"] == "village"]
    assert len(communes) == 13 and len(villages) == 115
    assert {v["parent_code"] for v in villages} == {c["code"] for c in communes}
    later = {u["code"]: u for u in admin_api(system, "/api/directory/org-units")["items"]}
    assert set(later["tra-lan"]["formed_from"]) >= {"bong-khe", "chi-khe-tien-thanh",
                                                    "tt-con-cuong"}
    assert set(later["mau-thach-2025"]["formed_from"]) >= {"mau-duc", "thach-ngan"}
    assert len(admin_api(system, "/api/directory/units")["items"]) >= 27
    with intake_db(system) as db:
        roles = Counter(db.scalars(select(User.role)))
    assert set(roles) >= set(ROLES)  # a user for every role
    assert roles["committee_member"] + roles["committee_chair"] == 20


def test_loading_twice_adds_nothing_and_says_so(loaded):
    system, _first, again = loaded
    assert again.already_loaded
    assert again.lines() == ["The Con Cuông data set is already loaded; nothing was added."]
    with intake_db(system) as db:
        assert len(registrations(db)) == 177
        assert db.scalar(select(func.count()).select_from(Submission).where(
            Submission.kind == "result_report")) == len(data.REPORTS)


def test_the_committee_has_its_two_inspection_teams(loaded):
    system, _first, _again = loaded
    teams = system.review.get("/api/inspections/teams", headers=bearer(system, "admin"))
    assert teams.status_code == 200
    by_name = {t["name"]: t for t in teams.get_json()["items"]}
    assert set(by_name) == {"Tổ kiểm tra số 1", "Tổ kiểm tra số 2"}
    for team in by_name.values():
        assert len(team["members"]) == 3
        assert not {m["home_commune"] for m in team["members"]} & set(team["communes"])


# ---- the district's report, as readers see it and export it -----------------------------


@pytest.fixture
def reader(loaded, monkeypatch):
    """The district's leadership (a viewer) signed in to an intake app whose exports go to a
    queue of this run's own namespace (the real Redis is shared), and the H1-2024 period's id."""
    system = loaded[0]
    for key, value in system.env.items():
        monkeypatch.setenv(key, value)  # the export job reads its settings from the environment
    app = create_intake(system.settings)
    client = app.test_client()
    client.set_cookie("lang", "en")
    token = csrf(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"csrf_token": token, "username": "lanhdao",
                                       "password": data.PASSWORD}).status_code == 302
    with intake_db(system) as db:
        period = db.scalar(select(Period.id).where(Period.kind == "H1", Period.year == 2024))
    yield system, client, period
    app.extensions["intake"].engine.dispose()


def cells(page: str, table_id: str, key: str, value: str) -> list[str]:
    """The numbers of one row of one table of the report page, as shown."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    row = re.search(rf'<tr[^>]*{key}="{value}".*?</tr>', table, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def exported(system, client, period: int, fmt: str) -> bytes:
    """Ask for an export as the reader does, let the worker write it, download it."""
    page = client.get(f"/report?org=con-cuong&period={period}").get_data(as_text=True)
    started = client.post("/report/exports", data={"csrf_token": csrf(page), "org": "con-cuong",
                                                   "period": period, "format": fmt})
    assert started.status_code == 303
    run_jobs(system.settings)
    progress = client.get(started.headers["Location"],
                          headers={"HX-Request": "true", "HX-Target": "export-progress"})
    html = progress.get_data(as_text=True)
    assert 'data-status="done"' in html
    with client.get(re.search(r'href="([^"]+/download)"', html).group(1)) as download:
        assert download.status_code == 200
        return download.data


def test_the_district_report_shows_exactly_the_seeds_table_and_contributions(reader):
    _system, client, period = reader
    page = client.get(f"/report?org=con-cuong&period={period}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Subject type, units/people, models, then economy, culture, new rural, defence, political system.
    assert cells(html, "registered", "data-subject", "collective") == \
        ["Collective", "27", "100", "24", "28", "23", "14", "11"]
    assert cells(html, "registered", "data-subject", "individual") == \
        ["Individual", "73", "77", "34", "15", "16", "6", "6"]
    assert cells(html, "registered", "data-subject", "total")[2] == "177"
    assert cells(html, "contributions", "data-indicator", "money_vnd")[1] == "1.139.000.000 đ"
    assert cells(html, "contributions", "data-indicator", "land_m2")[1] == "9.952 m²"
    assert cells(html, "contributions", "data-indicator", "labour_days")[1].startswith("8.524 ")
    assert cells(html, "contributions", "data-indicator", "road_km")[1] == "569 km"
    body = client.get(f"/api/report?org=con-cuong&period={period}").get_json()
    assert body["registered"]["total"] == 177
    assert {code: Decimal(body["contributions"][code]) for code in data.CONTRIBUTIONS} == \
        data.CONTRIBUTIONS
    assert len(body["rows"]) == 13  # every commune and the township has models


def test_the_xlsx_export_holds_the_seeds_figures(reader):
    system, client, period = reader
    book = load_workbook(io.BytesIO(exported(system, client, period, "xlsx")))
    registered = list(book["Models registered"].iter_rows(values_only=True))
    assert registered[2] == ("Collective", 27, 100, 24, 28, 23, 14, 11)
    assert registered[3] == ("Individual", 73, 77, 34, 15, 16, 6, 6)
    assert registered[4][2] == 177
    contributions = list(book["Contributions"].iter_rows(values_only=True))
    assert contributions[-1][1:5] == (1_139_000_000, 8524, 9952, 569)


def test_the_docx_export_reads_like_the_seed_with_its_figures(reader):
    system, client, period = reader
    document = Document(io.BytesIO(exported(system, client, period, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "là 177 (Tập thể: 100 mô hình, cá nhân: 77 mô hình)" in text
    assert ("tập thể: 27 đơn vị với 100 mô hình (kinh tế: 24 mô hình, văn hóa - xã hội: 28 mô hình, "
            "nông thôn mới: 23 mô hình, quốc phòng - an ninh: 14 mô hình, xây dựng hệ thống chính "
            "trị: 11 mô hình)") in text
    assert ("Cá nhân: 73 người với 77 mô hình (kinh tế: 34 mô hình, văn hóa - xã hội: 15 mô hình, "
            "nông thôn mới: 16 mô hình, quốc phòng - an ninh: 6 mô hình, xây dựng hệ thống chính "
            "trị: 6 mô hình)") in text
    assert "1.139.000.000 đồng tiền mặt, 8.524 công lao động" in text
    assert "9.952 m² đất, 569 km đường giao thông" in text
    table = document.tables[1]  # after the heading's table
    assert [c.text for c in table.rows[1].cells][:3] == ["Tập thể", "27", "100"]
    assert [c.text for c in table.rows[2].cells][:3] == ["Cá nhân", "73", "77"]
