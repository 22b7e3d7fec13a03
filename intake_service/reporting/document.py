"""The semi-annual report as a DOCX in the official layout of the seed (báo cáo kết quả).

An official Vietnamese document, like the committee's minutes: sections I–VI
headed as the seed heads them; section III.2 and its footnote filled in with the
figures and tables; the narrative sections left as headed empty paragraphs for
the officials to write. Written with the export's locale set to Vietnamese.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO

from docx import Document
from docx.shared import Pt

from intake_service.reporting import domain, exports
from intake_service.reporting.services import Report
from shared.documents import centred
from shared.web.formatting import vn_number

FIELDS_VI = {"economy": "kinh tế", "culture_society": "văn hóa - xã hội", "new_rural": "nông thôn mới",
             "defense_security": "quốc phòng - an ninh", "political_system": "xây dựng hệ thống chính trị"}
FIELD_SECTIONS = (("2.1", "Lĩnh vực kinh tế", ("economy", "new_rural")),
                  ("2.2", "Lĩnh vực văn hóa - xã hội", ("culture_society",)),
                  ("2.3", "Lĩnh vực Quốc phòng, An ninh", ("defense_security",)),
                  ("2.4", "Lĩnh vực xây dựng Đảng và hệ thống chính trị", ("political_system",)))
WRITE_HERE = "(Nội dung do cơ quan soạn thảo viết.)"


def _when(report: Report) -> tuple[str, str]:
    """'6 tháng đầu năm' and 'Phương hướng, nhiệm vụ 6 tháng cuối năm 2024', or the year's."""
    year = report.period.year
    if report.period.kind == "H1":
        return "6 tháng đầu năm", f"6 tháng cuối năm {year}"
    return f"năm {year}", f"năm {year + 1}"


def docx(report: Report, progress: Callable[[int, int], None], today: date | None = None) -> bytes:
    today = today or date.today()
    document = Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    _masthead(document, report, today)
    _section_i_ii(document)
    progress(1, 4)
    _section_iii(document, report)
    progress(2, 4)
    _section_iv_vi(document, report)
    progress(3, 4)
    out = BytesIO()
    document.save(out)
    progress(4, 4)
    return out.getvalue()


def _masthead(document, report: Report, today: date) -> None:
    where = report.org_name or "Toàn quốc"
    centred(document, where.upper())
    centred(document, "BAN CHỈ ĐẠO PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO”", bold=True)
    centred(document, "Số      - BC/BCĐ")
    centred(document, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    place = where.removeprefix("Huyện ").removeprefix("Xã ").removeprefix("Tỉnh ")
    centred(document, f"{place}, ngày {today.day} tháng {today.month} năm {today.year}")
    centred(document, "BÁO CÁO", bold=True, size=14)
    half, next_half = _when(report)
    centred(document, f"kết quả thực hiện phong trào thi đua “Dân vận khéo” {half}; "
                      f"Phương hướng, nhiệm vụ {next_half}")


def _write_here(document) -> None:
    document.add_paragraph(WRITE_HERE)


def _section_i_ii(document) -> None:
    document.add_heading("I- ĐẶC ĐIỂM, TÌNH HÌNH", level=1)
    _write_here(document)
    for heading in ("1. Thuận lợi", "2. Khó khăn"):
        document.add_heading(heading, level=2)
        _write_here(document)
    document.add_heading("II- CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN", level=1)
    for heading in ("1. Công tác lãnh đạo, chỉ đạo của cấp ủy, chính quyền",
                    "2. Vai trò của MTTQ và tổ chức chính trị - xã hội",
                    "3. Hoạt động của Ban Chỉ đạo phong trào thi đua “Dân vận khéo”"):
        document.add_heading(heading, level=2)
        _write_here(document)


def summary_sentence(report: Report) -> str:
    """Section III.2's opening sentence, in the seed's words, with the report's figures."""
    reg = report.registered
    collective, individual = reg.by_subject["collective"], reg.by_subject["individual"]
    half, _next = _when(report)
    where = report.org_name.lower() if report.org_name else "toàn quốc"

    def fields(counts: domain.Counts) -> str:
        return ", ".join(f"{FIELDS_VI[f]}: {vn_number(counts.by_field[f])} mô hình"
                         for f in domain.FIELD_CODES)

    return (f"Trong {half} {report.period.year if report.period.kind == 'H1' else ''}".rstrip()
            + f", tổng mô hình “Dân vận khéo” được đăng ký trên địa bàn {where} là "
            f"{vn_number(reg.total)} (Tập thể: {vn_number(collective.models)} mô hình, cá nhân: "
            f"{vn_number(individual.models)} mô hình). Trong đó, tập thể: {vn_number(collective.holders)} "
            f"đơn vị với {vn_number(collective.models)} mô hình ({fields(collective)}). Cá nhân: "
            f"{vn_number(individual.holders)} người với {vn_number(individual.models)} mô hình "
            f"({fields(individual)}).")


def footnote(report: Report) -> str:
    """The seed's footnote: what the whole system mobilised, from approved result reports."""
    half, _next = _when(report)
    sums = report.contributions
    return (f"Trong {half} {report.period.year if report.period.kind == 'H1' else ''}".rstrip()
            + f", cả hệ thống chính trị đã vận động nhân dân đóng góp ủng hộ xây dựng NTM gồm: "
            f"{vn_number(sums['money_vnd'])} đồng tiền mặt, {vn_number(sums['labour_days'])} công lao động, "
            f"nhân dân tự nguyện hiến {vn_number(sums['land_m2'])} m² đất, {vn_number(sums['road_km'])} km "
            "đường giao thông nông thôn được làm mới và nâng cấp.")


def _table(document, header: list[str], lines: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        cell.paragraphs[0].runs[0].bold = True
    for line in exports.number_cells(lines):
        for cell, text in zip(table.add_row().cells, line, strict=True):
            cell.text = text


def _section_iii(document, report: Report) -> None:
    document.add_heading("III- KẾT QUẢ THỰC HIỆN", level=1)
    document.add_heading("1. Công tác tuyên truyền", level=2)
    _write_here(document)
    document.add_heading("2. Kết quả thực hiện phong trào thi đua “Dân vận khéo” trên các lĩnh vực", level=2)
    document.add_paragraph(summary_sentence(report))
    _table(document, exports.registered_header(), exports.registered_lines(report.registered))
    document.add_paragraph("Theo từng xã, thị trấn:")
    _table(document, exports.row_header(), [exports.row_line(r) for r in report.rows])
    reg = report.registered
    for number, heading, codes in FIELD_SECTIONS:
        document.add_heading(f"{number}. {heading}", level=3)
        for code in codes[:1]:
            c, i = reg.by_subject["collective"].by_field[code], reg.by_subject["individual"].by_field[code]
            document.add_paragraph(f"Có {vn_number(c + i)} mô hình được đăng ký xây dựng (trong đó có "
                                   f"{vn_number(c)} mô hình tập thể và {vn_number(i)} mô hình cá nhân).")
        _write_here(document)
        if number == "2.1":
            paragraph = document.add_paragraph()
            paragraph.add_run("1").font.superscript = True
            paragraph.add_run(" " + footnote(report)).font.size = Pt(11)
    document.add_heading("3. Xét duyệt, báo cáo kết quả, kiểm tra và khen thưởng", level=2)
    _table(document, exports.status_header(), exports.status_lines(report))
    late = len(report.late_or_missing)
    document.add_paragraph(f"Đơn vị báo cáo chậm hoặc chưa báo cáo: {vn_number(late)} lượt.")
    rec = report.recognition
    document.add_paragraph(
        f"Mô hình được chọn làm điển hình: {vn_number(rec['exemplars'].get('exemplar', 0))}; "
        f"kiểm tra: {vn_number(sum(rec['inspections'].values()))} mô hình "
        f"(đạt {vn_number(rec['inspections'].get('verified', 0))}); "
        f"đề nghị khen thưởng: {vn_number(sum(rec['nominations'].values()))}; "
        f"đã khen thưởng: {vn_number(sum(rec['awards'].values()))}.")


def _section_iv_vi(document, report: Report) -> None:
    document.add_heading("IV- HẠN CHẾ, NGUYÊN NHÂN", level=1)
    for heading in ("1. Hạn chế", "2. Nguyên nhân"):
        document.add_heading(heading, level=2)
        _write_here(document)
    _half, next_half = _when(report)
    document.add_heading(f"V- NHIỆM VỤ {next_half.upper()}", level=1)
    _write_here(document)
    document.add_heading("VI- KIẾN NGHỊ, ĐỀ XUẤT", level=1)
    _write_here(document)
    document.add_paragraph("Nơi nhận:").runs[0].bold = True
    centred(document, "TRƯỞNG BAN CHỈ ĐẠO", bold=True)
