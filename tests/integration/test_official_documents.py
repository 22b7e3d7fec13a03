"""Documents officials sign, opened as a district office opens them: the report, the minutes and
the award dossier each in its issuing body's official layout — A4, official margins, Times New
Roman, the two-column heading, place and Vietnam's date, "Nơi nhận", the signer, pages numbered
from the second — and their PDFs, printed by LibreOffice from the same DOCX, with the heading
where the DOCX puts it."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from shared import clock
from shared import pdf as converter
from shared.days import VIETNAM
from tests.integration import test_nominations as nominations
from tests.integration.test_nominations import apps, person  # noqa: F401 - fixtures
from tests.integration.test_reporting import app, client_of, data, export  # noqa: F401 - fixtures
from tests.support import documents as read
from tests.support.web import csrf

pytestmark = pytest.mark.integration

A4_PORTRAIT = {"width": 210.0, "height": 297.0}
SEED_RECIPIENTS = ["- BCĐ phong trào thi đua DVK tỉnh (b/c),", "- Ban Dân vận Tỉnh ủy (b/c),",
                   "- TT Huyện ủy, HĐND, UBND huyện,", "- Các Ban XĐĐ, UBKT, Văn phòng Huyện ủy,",
                   "- Các cơ quan đơn vị trên địa bàn huyện,", "- MTTQ và các tổ chức CT-XH huyện,",
                   "- Các tổ chức cơ sở Đảng trực thuộc,", "- Lưu BCĐ."]


@pytest.fixture
def late_evening(monkeypatch):
    """23:30 UTC: already 06:30 of the next day in Vietnam."""
    frozen = read.last_half_past_eleven_utc()
    monkeypatch.setattr(clock, "now", lambda: frozen)
    return frozen.astimezone(VIETNAM).date()


def vn_date(day) -> str:
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def assert_official_page(section) -> None:
    page = read.page_and_margins(section)
    assert {k: page[k] for k in A4_PORTRAIT} == A4_PORTRAIT
    assert 20 <= page["top"] <= 25 and 20 <= page["bottom"] <= 25
    assert 30 <= page["left"] <= 35 and 15 <= page["right"] <= 20


def assert_official_type(document) -> None:
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    assert normal.paragraph_format.alignment == 3  # justified (WD_ALIGN_PARAGRAPH.JUSTIFY)
    assert normal.paragraph_format.first_line_indent > 0
    for level in (1, 2):
        assert document.styles[f"Heading {level}"].font.name == "Times New Roman"
        assert document.styles[f"Heading {level}"].font.color.rgb == (0, 0, 0)


# ---- the district report -------------------------------------------------------------------


def test_the_report_is_the_steering_committees_party_document_dated_vietnams_day(app, data,  # noqa: F811
                                                                                 late_evening):
    document = read.opened(export(client_of(app, "lanhdao"), data, "docx"))
    assert_official_page(document.sections[0])
    assert_official_type(document)
    assert read.numbers_pages_from_the_second(document.sections[0])

    heading = read.headings(document)[0]
    assert read.borderless(heading)
    left, right = read.heading_of(heading)
    assert left[:3] == ["HUYỆN ỦY CON CUÔNG", "BAN CHỈ ĐẠO PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO”", "*"]
    assert re.fullmatch(r"Số +-BC/BCĐ", left[3])  # the number is the clerk's to write
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM", f"Con Cuông, {vn_date(late_evening)}"]
    date_run = heading.rows[0].cells[1].paragraphs[-1].runs[0]
    assert date_run.italic and heading.rows[0].cells[1].paragraphs[0].runs[0].underline

    texts = [p.text for p in document.paragraphs]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1:title + 3] == [
        "kết quả thực hiện phong trào thi đua “Dân vận khéo” 6 tháng đầu năm;",
        "Phương hướng, nhiệm vụ 6 tháng cuối năm 2024"]
    assert "huyện Con Cuông" in "\n".join(texts) and "con cuông" not in "\n".join(texts)

    recipients, signer = read.closings(document)[-1]
    assert recipients == ["Nơi nhận:", *SEED_RECIPIENTS]
    assert signer == ["PHÓ BÍ THƯ THƯỜNG TRỰC", "Kiêm", "TRƯỞNG BAN CHỈ ĐẠO"]


def test_the_report_writes_the_seeds_sentences_from_the_figures(app, data):  # noqa: F811
    document = read.opened(export(client_of(app, "lanhdao"), data, "docx"))
    texts = [p.text for p in document.paragraphs]
    after = {texts[i - 1]: text for i, text in enumerate(texts) if i}
    assert after["2.1. Lĩnh vực kinh tế"] == (
        "Trên lĩnh vực phát triển kinh tế, phong trào thi đua “Dân vận khéo” tiếp tục được đẩy mạnh; "
        "Có 2 mô hình được đăng ký xây dựng (trong đó có 1 mô hình tập thể và 1 mô hình cá nhân).")
    assert after["2.2. Lĩnh vực văn hóa - xã hội"] == (
        "Toàn huyện có 2 mô hình đăng ký xây dựng, trong đó (tập thể: 1 mô hình, cá nhân 1 mô hình).")
    assert after["2.3. Lĩnh vực Quốc phòng, An ninh"] == (
        "Có 2 mô hình đăng ký xây dựng trên địa bàn (2 mô hình tập thể, 0 mô hình cá nhân).")
    assert after["2.4. Lĩnh vực xây dựng Đảng và hệ thống chính trị"] == (
        "Toàn huyện có 0 mô hình đăng ký xây dựng (0 mô hình tập thể, 0 mô hình cá nhân).")
    note = next(t for t in texts if t.startswith("1 Trong 6 tháng đầu năm 2024, cả hệ thống chính trị"))
    assert "1.139.000.000 đồng tiền mặt, 8.524 công lao động" in note
    assert texts.count("(Nội dung do cơ quan soạn thảo viết.)") >= 10  # the narrative is the officials'


def test_the_report_pdf_prints_the_docx_with_its_heading_in_place(app, data):  # noqa: F811
    client = client_of(app, "lanhdao", lang="vi")
    pages = read.pdf_pages(export(client, data, "pdf"))
    assert read.broken_words(pages, read.opened(export(client, data, "docx"))) == set()
    assert read.size_of(pages[0]) == read.A4_POINTS
    width = read.A4_POINTS[0]
    party_x, party_y = read.where(pages[0], "ĐẢNG CỘNG SẢN VIỆT NAM")
    body_x, body_y = read.where(pages[0], "HUYỆN ỦY CON CUÔNG")
    date_x, date_y = read.where(pages[0], "Con Cuông, ngày")
    title_x, title_y = read.where(pages[0], "BÁO CÁO")
    assert body_x < width / 2 < party_x and abs(party_y - body_y) < 6  # side by side, at the top
    assert party_y > read.A4_POINTS[1] - 100
    assert date_x > width / 2 and date_y < party_y
    assert title_y < date_y and abs((title_x + 30) - width / 2) < 40  # centred under the heading
    assert not any(text == "1" for text, _x, y in read.placed_texts(pages[0]) if y > party_y)
    assert any(text == "2" for text, _x, y in read.placed_texts(pages[1]) if y > party_y)
    annex = [n for n, p in enumerate(pages) if any(t == "PHỤ LỤC" for t, _x, _y in read.placed_texts(p))]
    assert annex == [len(pages) - 1]  # the per-commune table, annexed after the signature
    assert read.size_of(pages[annex[0]]) == tuple(reversed(read.A4_POINTS))  # on a landscape page
    assert read.where(pages[annex[0]], "Xã Môn Sơn")


@pytest.fixture
def bodies_configured(monkeypatch):
    """An administrator's issuing bodies: Con Cuông's committee issues in the state layout."""
    from shared.letterhead import bodies

    monkeypatch.setenv("DVK_ISSUING_BODIES", json.dumps([*bodies.DEFAULTS, {
        "code": "steering_committee", "org": "con-cuong", "layout": "state",
        "parent": "UBND HUYỆN {PLACE}", "name": "BAN CHỈ ĐẠO “DÂN VẬN KHÉO”", "symbol": "BCĐ",
        "signer": {"authority": "KT. TRƯỞNG BAN", "title": "PHÓ TRƯỞNG BAN", "name": "Vi Văn Sơn"},
        "recipients": {"report": ["UBND tỉnh (b/c)", "Lưu: VT, BCĐ."]}}]))


def test_issuing_bodies_are_configuration_a_district_may_issue_in_the_state_layout(
        bodies_configured, app, data):  # noqa: F811
    document = read.opened(export(client_of(app, "lanhdao"), data, "docx"))
    left, right = read.heading_of(read.headings(document)[0])
    assert left[:2] == ["UBND HUYỆN CON CUÔNG", "BAN CHỈ ĐẠO “DÂN VẬN KHÉO”"]
    assert re.fullmatch(r"Số: +/BC-BCĐ", left[2])
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    recipients, signer = read.closings(document)[-1]
    assert recipients == ["Nơi nhận:", "- UBND tỉnh (b/c),", "- Lưu: VT, BCĐ."]
    assert signer == ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Vi Văn Sơn"]


def test_the_report_pdf_carries_the_committees_digital_signature_which_verifies(
        monkeypatch, tmp_path, app, data):  # noqa: F811
    from shared.letterhead import bodies

    pkcs12, certificate = read.certificate_file(tmp_path, "Ban Chỉ đạo DVK huyện Con Cuông", b"mat-khau")
    monkeypatch.setenv("DVK_ISSUING_BODIES", json.dumps([{
        **bodies.DEFAULTS[0], "signer": {"authority": "TM. BAN CHỈ ĐẠO", "title": "TRƯỞNG BAN",
                                         "name": "Lương Văn Việt"},
        "certificate": {"pkcs12": pkcs12, "passphrase": "mat-khau"}}]))
    signed = export(client_of(app, "lanhdao", lang="vi"), data, "pdf")
    [signature] = read.signatures_of(signed, certificate)
    assert signature.intact and signature.valid and signature.trusted
    assert signature.signing_cert.subject.native["common_name"] == "Ban Chỉ đạo DVK huyện Con Cuông"
    assert read.size_of(read.pdf_pages(signed)[0]) == read.A4_POINTS  # the same print, signed
    assert read.where(read.pdf_pages(signed)[0], "ĐẢNG CỘNG SẢN VIỆT NAM")[0] > read.A4_POINTS[0] / 2


def test_without_libreoffice_the_pdf_export_fails_and_says_why(app, data, monkeypatch):  # noqa: F811
    monkeypatch.setattr(converter, "COMMANDS", ("dvk-no-such-soffice",))
    client = client_of(app, "lanhdao")
    page = client.get(f"/report?org=con-cuong&period={data['h1_2024']}").get_data(as_text=True)
    started = client.post("/report/exports", data={"csrf_token": csrf(page), "org": "con-cuong",
                                                   "period": data["h1_2024"], "format": "pdf"})
    from tests.integration.test_reporting import run_worker as run_exports

    run_exports()
    html = client.get(started.headers["Location"]).get_data(as_text=True)
    assert 'data-status="failed"' in html
    assert "LibreOffice is not installed where exports are written" in html
    with pytest.raises(converter.ConverterMissing, match="libreoffice-writer-nogui"):
        converter.from_docx(b"not looked at")


# ---- the dossier: request letter, achievement reports, minutes --------------------------------


def directory_knows_con_cuong(review_app) -> None:
    """Review's copy of the directory, as intake's events leave it: the district by its name."""
    from review_service.mirrors.directory import OrgUnitCopy

    with review_app.extensions["review"].uow() as uow:
        uow.session.add(OrgUnitCopy(code="con-cuong", name="Huyện Con Cuông", level="district",
                                    parent_code="nghe-an", valid_from=date(2008, 1, 1), version=1))
        uow.commit()


def test_the_dossier_bundles_documents_each_with_its_own_heading_and_numbering(apps, person):  # noqa: F811
    directory_knows_con_cuong(apps[1])
    road = nominations.exemplar(apps, person)
    nominations.conclude(apps[1], road.id, "verified")
    mai = person("huyen")
    response = nominations.post(mai, "/nominations/dossiers", "/nominations", nomination=str(road.id))
    status_url = response.headers["Location"].removeprefix("http://localhost")
    nominations.run_worker()
    with mai.get(f"{status_url}/dossier.docx") as download:
        document = read.opened(download.data)

    letter, report, minutes = read.headings(document)
    left, right = read.heading_of(letter)
    assert left[:3] == ["HUYỆN ỦY CON CUÔNG", "BAN CHỈ ĐẠO PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO”", "*"]
    assert re.fullmatch(r"Số +-TTr/BCĐ", left[3]) and right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right[1].startswith("Con Cuông, ngày ")
    texts = [p.text for p in document.paragraphs]
    assert "TỜ TRÌNH" in texts and "Kính gửi: Hội đồng Thi đua - Khen thưởng huyện Con Cuông" in texts

    left, right = read.heading_of(report)  # written by the nominee, in the state's layout
    assert left == ["XÃ MÔN SƠN", nominations.WOMEN_UNION.upper()]
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert right[2].startswith("Môn Sơn, ngày ")

    left, right = read.heading_of(minutes)
    assert re.fullmatch(r"Số +-BB/BCĐ", left[3]) and right == ["ĐẢNG CỘNG SẢN VIỆT NAM",
                                                               "Con Cuông, ngày 20 tháng 11 năm 2026"]
    request_closing = read.closings(document)[0]
    assert request_closing == (["Nơi nhận:", "- Như trên,", "- Lưu BCĐ."],
                               ["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN"])

    parts = document.sections
    assert len(parts) == 3
    for part in parts:
        assert_official_page(part)
        assert read.numbers_pages_from_the_second(part)
    assert [read.restarts_numbering(part) for part in parts] == [False, True, True]

    with mai.get(f"{status_url}/dossier.pdf") as download:
        pages = read.pdf_pages(download.data)
    assert all(read.size_of(p) == read.A4_POINTS for p in pages)
    assert read.broken_words(pages, document) == set()  # the tables' columns keep words whole
    firsts = [p for p in pages if any(t == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
                                      for t, _x, _y in read.placed_texts(p))]
    assert len(firsts) == 1  # the achievement report begins a page of its own
    nation_x, nation_y = read.where(firsts[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto_x, motto_y = read.where(firsts[0], "Độc lập - Tự do - Hạnh phúc")
    commune_x, commune_y = read.where(firsts[0], "XÃ MÔN SƠN")
    assert commune_x < read.A4_POINTS[0] / 2 < motto_x and nation_x > commune_x
    assert motto_y < nation_y and abs(commune_y - nation_y) < 6


def test_a_decision_dated_vietnams_today_is_taken_before_7_in_the_morning(apps, person,  # noqa: F811
                                                                          monkeypatch):
    road = nominations.exemplar(apps, person)
    nominations.conclude(apps[1], road.id, "verified")
    mai = person("huyen")
    assert nominations.step(mai, road.id, "submit").status_code == 303
    frozen = read.last_half_past_eleven_utc()
    monkeypatch.setattr(clock, "now", lambda: frozen)
    today_in_vietnam = frozen.astimezone(VIETNAM).date()
    assert today_in_vietnam == frozen.date() + timedelta(days=1)

    tomorrow = nominations.step(mai, road.id, "decision", decision_number="125/QĐ-UBND",
                    decision_date=f"{today_in_vietnam + timedelta(days=1):%d/%m/%Y}", signer="Vi Văn Sơn")
    assert tomorrow.status_code == 422  # still in the future
    taken = nominations.step(mai, road.id, "decision", decision_number="125/QĐ-UBND",
                 decision_date=f"{today_in_vietnam:%d/%m/%Y}", signer="Vi Văn Sơn")
    assert taken.status_code == 303


def test_reasons_and_achievements_written_while_the_model_is_inspected_go_in_the_dossier(
        apps, person):  # noqa: F811
    road = nominations.exemplar(apps, person)
    assert road.status == "awaiting_verification"  # the lifecycle goes straight to the inspection
    mai = person("huyen")
    page = nominations.page_of(mai, road.id)
    assert 'id="details-form"' in page
    saved = nominations.step(mai, road.id, "details", award_form="giay_khen", level="district",
                             commendation_type="thematic", reasons="Vận động hiến 9.952 m² đất.",
                             achievements="Làm mới 3 km đường bê tông.\nBa bản được hưởng lợi.")
    assert saved.status_code == 303
    nominations.conclude(apps[1], road.id, "verified")
    assert nominations.step(mai, road.id, "details", award_form="giay_khen", level="district",
                            commendation_type="thematic", reasons="Vận động hiến 9.952 m² đất.",
                            achievements="Làm mới 3 km đường bê tông.\nBa bản được hưởng lợi.",
                            ).status_code == 303  # still being prepared once verified
    assert nominations.step(mai, road.id, "submit").status_code == 303
    refused = nominations.step(mai, road.id, "details", award_form="giay_khen", level="district",
                               commendation_type="thematic", reasons="Khác", achievements="Khác")
    assert refused.status_code == 409
    assert "its details stay as submitted" in refused.get_data(as_text=True)

    response = nominations.post(mai, "/nominations/dossiers", "/nominations", nomination=str(road.id))
    nominations.run_worker()
    with mai.get(response.headers["Location"].removeprefix("http://localhost") + "/dossier.docx") as got:
        texts = [p.text for p in read.opened(got.data).paragraphs]
    written = texts.index("IV. Thành tích đạt được")
    assert texts[written + 1:written + 3] == ["Làm mới 3 km đường bê tông.", "Ba bản được hưởng lợi."]
    assert texts[texts.index("V. Lý do đề nghị khen thưởng") + 1] == "Vận động hiến 9.952 m² đất."


def test_those_who_prepare_a_dossier_see_what_it_holds_and_what_holds_a_nomination_back(
        apps, person):  # noqa: F811
    road = nominations.exemplar(apps, person)
    mai = person("huyen")
    listing = mai.get("/nominations").get_data(as_text=True)
    parts = re.search(r'<ol id="dossier-parts">(.*?)</ol>', listing, re.S).group(1)
    assert parts.count("<li>") == 4 and "Tờ trình đề nghị khen thưởng" in parts
    assert f'id="choose-{road.id}"' not in listing  # not verified yet: not offered for a dossier
    page = nominations.page_of(person("quantri"), road.id)
    assert "Đang bị điều tra, thanh tra, kiểm tra khi có dấu hiệu vi phạm" in page
