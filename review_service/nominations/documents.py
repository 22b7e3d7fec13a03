"""The award dossier (hồ sơ đề nghị khen thưởng) as documents: DOCX to edit, PDF, and an XLSX list.

The DOCX holds the request letter (tờ trình) with the list of nominees, each nominee's
achievement report (báo cáo thành tích) filled from the model's registered data and its result
reports, and the minutes of the committee sessions that chose the exemplars (the committee's own
``minutes.build``, appended). The PDF is made from that same DOCX, block by block, so the two
always say the same. Official documents, so their text is Vietnamese whatever the reader's
interface language.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from openpyxl import Workbook
from openpyxl.styles import Font

from review_service.nominations.domain import AwardForm
from review_service.nominations.tables import Nomination
from review_service.queue.tables import ReviewItem
from shared import pdf
from shared.documents import centred
from shared.web.formatting import vn_number

BLACK = RGBColor(0, 0, 0)
SUBJECT_TYPES = {"collective": "Tập thể", "individual": "Cá nhân"}
LEVELS = {"commune": "Cấp xã", "district": "Cấp huyện", "province": "Cấp tỉnh",
          "central": "Cấp Trung ương"}
COMMENDATION_TYPES = {"thematic": "Khen thưởng chuyên đề", "regular": "Khen thưởng thường xuyên"}
STATUSES = {"proposed": "Đề xuất", "awaiting_verification": "Chờ kiểm tra thực tế",
            "verified": "Đã kiểm tra, xác minh", "submitted": "Đã trình cấp có thẩm quyền",
            "decided": "Đã có quyết định khen thưởng", "dropped": "Không đề nghị nữa"}
INSPECTION = {"verified": "Đã xác minh đúng thực tế", "partly_verified": "Xác minh một phần",
              "not_verified": "Không xác minh được", None: "Chưa kiểm tra"}
FIELDS = {"economy": "Kinh tế", "culture_society": "Văn hóa - xã hội",
          "new_rural": "Xây dựng nông thôn mới", "defense_security": "Quốc phòng - an ninh",
          "political_system": "Xây dựng hệ thống chính trị"}
DETAILS = {
    "villages": "Thôn, bản", "situation": "Thực trạng và sự cần thiết",
    "objectives": "Mục tiêu, chỉ tiêu cụ thể", "activities": "Nội dung, giải pháp thực hiện",
    "beneficiaries": "Đối tượng thụ hưởng", "forces": "Lực lượng thực hiện",
    "timeline": "Thời gian thực hiện", "expected_outputs": "Sản phẩm, kết quả dự kiến",
    "sustainability": "Tính bền vững và khả năng nhân rộng",
}
RESOURCES = {"funding_vnd": ("Kinh phí", "đồng"), "labour_days": ("Ngày công", "ngày công")}
# The standard figures of a result report, in the order of shared.catalog.INDICATORS.
INDICATORS = {
    "money_vnd": ("Kinh phí huy động", "đồng"), "labour_days": ("Ngày công đóng góp", "ngày công"),
    "land_m2": ("Đất hiến", "m²"), "road_km": ("Đường làm mới hoặc nâng cấp", "km"),
    "households": ("Số hộ được hỗ trợ", "hộ"), "participants": ("Số người tham gia", "người"),
}
PERIODS = {"H1": "6 tháng đầu năm {year}", "FY": "Năm {year}"}
LIST_HEADERS = ("STT", "Tập thể, cá nhân", "Mô hình", "Xã", "Hình thức khen thưởng", "Cấp",
                "Loại khen thưởng")
XLSX_HEADERS = ("STT", "Mã đề nghị", "Tập thể, cá nhân", "Đối tượng", "Mô hình", "Mã mô hình", "Xã",
                "Hình thức khen thưởng", "Cấp", "Loại khen thưởng", "Trạng thái", "Kết quả kiểm tra",
                "Số quyết định", "Ngày quyết định", "Người ký",
                *(f"{label} ({unit})" for label, unit in INDICATORS.values()))


@dataclass
class Nominee:
    """A nomination with what its documents need: its models' result reports and form's name."""

    nomination: Nomination
    results: list[ReviewItem] = field(default_factory=list)
    award_form_name: str = ""

    @property
    def totals(self) -> dict[str, Decimal]:
        """Each standard figure summed over the model's result reports."""
        sums: dict[str, Decimal] = {}
        for report in self.results:
            for figure in (report.report or {}).get("indicators", []):
                sums[figure["code"]] = sums.get(figure["code"], Decimal(0)) + Decimal(figure["value"])
        return sums


@dataclass
class Files:
    docx: bytes
    pdf: bytes
    xlsx: bytes


def nominees(nominations: Iterable[Nomination], results: Callable[[Nomination], list[ReviewItem]],
             forms: tuple[AwardForm, ...]) -> list[Nominee]:
    names = {form.code: form.name for form in forms}
    return [Nominee(n, results(n), names.get(n.award_form, n.award_form)) for n in nominations]


def build(people: list[Nominee], minutes: list[bytes], district_name: str, today: date,
          progress: Callable[[], None] = lambda: None) -> Files:
    """The three files of a dossier; ``progress`` is called after each nominee's report."""
    document = Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    for name, size in (("Heading 1", 15), ("Heading 2", 13)):  # an official letter: black, serif
        style = document.styles[name]
        style.font.name, style.font.size, style.font.color.rgb = "Times New Roman", Pt(size), BLACK
    _letter(document, people, district_name, today)
    for person in people:
        _page_break(document)
        _achievements(document, person)
        progress()
    for part in minutes:
        _page_break(document)
        _append(document, Document(BytesIO(part)))
    buffer = BytesIO()
    document.save(buffer)
    docx = buffer.getvalue()
    return Files(docx=docx, pdf=pdf.render("Hồ sơ đề nghị khen thưởng", blocks(document)),
                 xlsx=workbook(people))


# ---- the request letter --------------------------------------------------------------------


def _letter(document, people: list[Nominee], district_name: str, today: date) -> None:
    centred(document, f"BAN CHỈ ĐẠO PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” {district_name.upper()}"
            .strip(), bold=True)
    centred(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    centred(document, "Độc lập - Tự do - Hạnh phúc", bold=True)
    centred(document, f"Số: ....../TTr-BCĐ, ngày {today.day:02d} tháng {today.month:02d} "
                      f"năm {today.year}", italic=True)
    document.add_heading("TỜ TRÌNH", level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    centred(document, "Về việc đề nghị khen thưởng tập thể, cá nhân có mô hình “Dân vận khéo” "
                      "tiêu biểu", bold=True)
    centred(document, "Kính gửi: Hội đồng Thi đua - Khen thưởng")
    collectives = sum(1 for p in people if p.nomination.subject_type == "collective")
    document.add_paragraph(
        "Căn cứ kết quả xét, biểu quyết của Ban Chỉ đạo phong trào thi đua “Dân vận khéo” và kết quả "
        "kiểm tra thực tế các mô hình, Ban Chỉ đạo kính đề nghị xem xét, khen thưởng "
        f"{len(people)} đề nghị ({collectives} tập thể, {len(people) - collectives} cá nhân) "
        "có thành tích xuất sắc trong phong trào, gồm:")
    table = document.add_table(rows=1, cols=len(LIST_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, LIST_HEADERS, strict=True):
        cell.text = text
    for number, person in enumerate(people, start=1):
        n = person.nomination
        row = (str(number), f"{n.subject_name} ({SUBJECT_TYPES.get(n.subject_type, '')})",
               "; ".join(model["title"] for model in n.models), n.commune_name,
               person.award_form_name, LEVELS.get(n.level, n.level),
               COMMENDATION_TYPES.get(n.commendation_type, n.commendation_type))
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    document.add_paragraph("(Có báo cáo thành tích của từng tập thể, cá nhân và biên bản họp "
                           "Ban Chỉ đạo kèm theo.)")
    document.add_paragraph("Kính đề nghị xem xét, quyết định.")
    _signature(document, "TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN")


def _signature(document, *lines: str) -> None:
    for line in (*lines, "(Ký, ghi rõ họ tên, đóng dấu)"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(line).bold = not line.startswith("(")


# ---- each nominee's achievement report -----------------------------------------------------


def _achievements(document, person: Nominee) -> None:
    n = person.nomination
    centred(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    centred(document, "Độc lập - Tự do - Hạnh phúc", bold=True)
    document.add_heading("BÁO CÁO THÀNH TÍCH", level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    centred(document, f"Đề nghị tặng {person.award_form_name} "
                      f"({LEVELS.get(n.level, n.level).lower()}, "
                      f"{COMMENDATION_TYPES.get(n.commendation_type, '').lower()})", bold=True)
    centred(document, f"của {n.subject_name}", bold=True)
    document.add_heading("I. Sơ lược", level=2)
    for label, value in (("Tập thể, cá nhân", n.subject_name),
                         ("Đối tượng", SUBJECT_TYPES.get(n.subject_type, n.subject_type)),
                         ("Địa bàn", n.commune_name),
                         ("Số đề nghị", str(n.id))):
        document.add_paragraph(f"{label}: {value}.")
    document.add_heading("II. Mô hình đã đăng ký", level=2)
    for model in n.models:
        _registered(document, n, model)
    document.add_heading("III. Kết quả thực hiện", level=2)
    _results(document, person.results)
    document.add_heading("IV. Thành tích đạt được", level=2)
    document.add_paragraph(n.achievements or "(Đơn vị bổ sung thành tích cụ thể.)")
    document.add_heading("V. Lý do đề nghị khen thưởng", level=2)
    document.add_paragraph(n.reasons or "")
    outcome = INSPECTION.get(n.inspection_outcome, n.inspection_outcome)
    document.add_paragraph(f"Kết quả kiểm tra thực tế: {outcome}."
                           + (f" {n.findings}" if n.findings else ""))
    if n.decision_number:
        document.add_paragraph(f"Đã được khen thưởng theo Quyết định số {n.decision_number} ngày "
                               f"{n.decision_date:%d/%m/%Y}, người ký: {n.signer}.")
    _signature(document, "XÁC NHẬN CỦA CẤP TRÌNH KHEN", "NGƯỜI BÁO CÁO")


def _registered(document, n: Nomination, model: dict) -> None:
    item = n.item if model.get("item_id") == n.item_id else None
    document.add_paragraph(f"Tên mô hình: {model['title']} (mã số {model['model_id']}).")
    if item is None:
        return
    document.add_paragraph(f"Lĩnh vực: {FIELDS.get(item.field, item.field)}.")
    details = item.details or {}
    for key, label in DETAILS.items():
        if details.get(key):
            document.add_paragraph(f"{label}: {details[key]}")
    for key, (label, unit) in RESOURCES.items():
        if details.get(key) is not None:
            document.add_paragraph(f"{label}: {vn_number(details[key])} {unit}.")


def _results(document, reports: list[ReviewItem]) -> None:
    if not reports:
        document.add_paragraph("Chưa có báo cáo kết quả.")
        return
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Kỳ báo cáo", "Chỉ tiêu", "Kết quả"), strict=True):
        cell.text = text
    for report in reports:
        facts = report.report or {}
        period = period_name(facts.get("period") or {})
        for figure in facts.get("indicators", []):
            label, unit = INDICATORS.get(figure["code"], (figure["code"], ""))
            row = (period, label, f"{vn_number(Decimal(figure['value']))} {unit}".strip())
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    for report in reports:
        narrative = (report.report or {}).get("narrative")
        if narrative:
            period = period_name((report.report or {}).get("period") or {})
            document.add_paragraph(f"{period}: {narrative}")


def period_name(period: dict) -> str:
    template = PERIODS.get(period.get("kind", ""))
    year = period.get("year", "")
    return template.format(year=year) if template else f"{period.get('kind', '')} {year}".strip()


# ---- the minutes, appended -----------------------------------------------------------------


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _append(document, part) -> None:
    """Copy another document's body (paragraphs and tables) to the end of ``document``."""
    body = document.element.body
    end = body.find(qn("w:sectPr"))
    for element in part.element.body.iterchildren():
        if element.tag == qn("w:sectPr"):
            continue
        if end is not None:
            end.addprevious(copy.deepcopy(element))
        else:
            body.append(copy.deepcopy(element))


# ---- the PDF, from the DOCX ----------------------------------------------------------------


def blocks(document) -> list:
    """The DOCX's body as PDF blocks: headings, paragraphs and tables, in order."""
    found: list = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = DocxParagraph(element, document)
            text = paragraph.text.strip()
            if not text:
                continue
            style = paragraph.style.name if paragraph.style is not None else ""
            if style.startswith("Heading"):
                level = int(style.rsplit(" ", 1)[-1]) if style[-1].isdigit() else 1
                found.append(pdf.Heading(text, level))
            elif paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(
                    run.bold for run in paragraph.runs if run.text.strip()):
                found.append(pdf.Heading(text, 3))
            else:
                found.append(pdf.Paragraph(text))
        elif element.tag == qn("w:tbl"):
            rows = [[cell.text for cell in row.cells] for row in DocxTable(element, document).rows]
            if rows:
                found.append(pdf.Table(header=rows[0], rows=rows[1:]))
    return found


# ---- the XLSX list -------------------------------------------------------------------------


def workbook(people: list[Nominee]) -> bytes:
    """One row per nominee: who, which models, what award, how far, and the models' figures."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách đề nghị"
    sheet.append(list(XLSX_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, person in enumerate(people, start=1):
        n, totals = person.nomination, person.totals
        sheet.append([
            number, n.id, n.subject_name, SUBJECT_TYPES.get(n.subject_type, n.subject_type),
            "; ".join(model["title"] for model in n.models),
            ", ".join(str(model_id) for model_id in n.model_ids), n.commune_name,
            person.award_form_name, LEVELS.get(n.level, n.level),
            COMMENDATION_TYPES.get(n.commendation_type, n.commendation_type),
            STATUSES.get(n.status, n.status), INSPECTION.get(n.inspection_outcome, ""),
            n.decision_number, n.decision_date, n.signer,
            *(totals.get(code) for code in INDICATORS)])
    for column, width in zip("ABCDEFG", (5, 10, 32, 10, 40, 12, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
