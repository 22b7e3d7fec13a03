"""The semi-annual report as a DOCX in the official layout of the seed (báo cáo kết quả), and its PDF.

An official Vietnamese document, laid out by ``shared.letterhead`` for the steering committee
of the report's area (the Party's layout unless configured otherwise): sections I–VI headed as
the seed heads them; where the seed writes figures, the sentences written from the data
(``sentences``) and the tables, the per-commune table in a landscape annex; the narrative
left as headed paragraphs for the officials to write. Written with the export's locale set to
Vietnamese. The PDF is LibreOffice's print of this same DOCX.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from io import BytesIO

from docx.shared import Mm, Pt

from intake_service.reporting import exports, sentences
from intake_service.reporting.services import Report
from shared import pdf as converter
from shared.days import today_in_vietnam
from shared.letterhead import bodies as issuers
from shared.letterhead import cells, closing, heading, page, signing
from shared.web.formatting import vn_number

WRITE_HERE = "(Nội dung do cơ quan soạn thảo viết.)"
KIND = "BC"
ANNEX_NAME = "Phụ lục"
OFFICIAL = ("docx", "pdf")  # formats written in Vietnamese whatever the reader's language
BY_COMMUNE_WIDTHS = (Mm(47), *(Mm(20),) * 10)  # landscape: 247 mm between the margins
REGISTERED_WIDTHS = (Mm(27), Mm(18), Mm(18), *(Mm(20),) * 5)  # portrait: 165 mm


def docx(report: Report, progress: Callable[[int, int], None], today: date | None = None,
         bodies: tuple[issuers.IssuingBody, ...] | None = None) -> bytes:
    """The report as its steering committee issues it, dated ``today`` (Vietnam's day)."""
    body = issuer(report, bodies)
    document = page.new_document()
    heading.letterhead(document, body, KIND, today or today_in_vietnam())
    heading.title(document, "BÁO CÁO", title_summary(report))
    _section_i_ii(document)
    progress(1, 4)
    _section_iii(document, report)
    progress(2, 4)
    _section_iv_vi(document, report)
    closing.recipients_and_signer(document, body.recipients_of("report"), body.signer_of("report"))
    _annex_by_commune(document, report)
    progress(3, 4)
    out = BytesIO()
    document.save(out)
    progress(4, 4)
    return out.getvalue()


def pdf(report: Report, progress: Callable[[int, int], None], today: date | None = None,
        bodies: tuple[issuers.IssuingBody, ...] | None = None) -> bytes:
    """The same report as a PDF, printed from its DOCX by LibreOffice, signed with the issuing
    body's certificate when it has one."""
    data = converter.from_docx(docx(report, lambda done, total: None, today, bodies))
    reason = "Báo cáo " + title_summary(report).split("\n")[0]
    data = signing.sign(data, issuer(report, bodies), reason=reason)
    progress(1, 1)
    return data


def writer(fmt: str, environ: Mapping[str, str]):
    """The export's writer, its documents issued by the configured bodies."""
    if fmt == "xlsx":
        return exports.xlsx
    configured = issuers.from_environ(environ)
    return partial({"docx": docx, "pdf": pdf}[fmt], bodies=configured)


def issuer(report: Report, bodies: tuple[issuers.IssuingBody, ...] | None) -> issuers.IssuingBody:
    """The steering committee of the report's area, named after it."""
    return issuers.choose(bodies or issuers.from_list(issuers.DEFAULTS), issuers.STEERING_COMMITTEE,
                          report.org_code, report.org_name)


def title_summary(report: Report) -> str:
    half, next_half = sentences.when(report)
    if report.period.kind == "H1":
        half = "6 tháng đầu năm"
    return f"kết quả thực hiện phong trào thi đua “Dân vận khéo” {half};\nPhương hướng, nhiệm vụ {next_half}"


def _write_here(document) -> None:
    document.add_paragraph(WRITE_HERE)


def _headed(document, headings: tuple[str, ...], level: int = 2) -> None:
    for text in headings:
        document.add_heading(text, level=level)
        _write_here(document)


def _section_i_ii(document) -> None:
    document.add_heading("I- ĐẶC ĐIỂM, TÌNH HÌNH", level=1)
    _write_here(document)
    _headed(document, ("1. Thuận lợi", "2. Khó khăn"))
    document.add_heading("II- CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN", level=1)
    _headed(document, ("1. Công tác lãnh đạo, chỉ đạo của cấp ủy, chính quyền",
                       "2. Vai trò của MTTQ và tổ chức chính trị - xã hội",
                       "3. Hoạt động của Ban Chỉ đạo phong trào thi đua “Dân vận khéo”"))


def _section_iii(document, report: Report) -> None:
    document.add_heading("III- KẾT QUẢ THỰC HIỆN", level=1)
    _headed(document, ("1. Công tác tuyên truyền",))
    document.add_heading("2. Kết quả thực hiện phong trào thi đua “Dân vận khéo” trên các lĩnh vực", level=2)
    document.add_paragraph(sentences.summary(report))
    cells.grid(document, exports.registered_header(),
               exports.number_cells(exports.registered_lines(report.registered)), REGISTERED_WIDTHS, 11)
    document.add_paragraph(f"(Chi tiết theo từng xã, thị trấn tại {ANNEX_NAME.lower()} kèm theo.)")
    for number, title, code in sentences.FIELD_SECTIONS:
        document.add_heading(f"{number}. {title}", level=3)
        document.add_paragraph(sentences.field_sentence(report, code))
        if code == "economy":
            _with_footnote(document, sentences.new_rural_sentence(report), sentences.footnote(report))
        _write_here(document)
    document.add_heading("3. Xét duyệt, báo cáo kết quả, kiểm tra và khen thưởng", level=2)
    cells.grid(document, exports.status_header(), exports.number_cells(exports.status_lines(report)), size=11)
    late = len(report.late_or_missing)
    document.add_paragraph(f"Đơn vị báo cáo chậm hoặc chưa báo cáo: {vn_number(late)} lượt.")
    document.add_paragraph(sentences.recognition(report))


def _annex_by_commune(document, report: Report) -> None:
    """The per-commune table, as an annex on landscape pages after the signature."""
    page.landscape(document)
    heading.centred(document, ANNEX_NAME.upper(), 14, bold=True)
    heading.centred(document, f"Kết quả đăng ký mô hình “Dân vận khéo” theo từng xã, thị trấn, "
                              f"{sentences.when(report)[0]}", 14, italic=True)
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    cells.grid(document, exports.row_header(),
               exports.number_cells([exports.row_line(r) for r in report.rows]), BY_COMMUNE_WIDTHS, 11)


def _with_footnote(document, text: str, note: str) -> None:
    """A paragraph whose mark '1' points to the note set below it in smaller type, as the seed's."""
    paragraph = document.add_paragraph(text)
    paragraph.add_run("1").font.superscript = True
    paragraph.add_run(".")
    note_paragraph = document.add_paragraph()
    note_paragraph.add_run("1").font.superscript = True
    note_paragraph.add_run(" " + note).font.size = Pt(11)


def _section_iv_vi(document, report: Report) -> None:
    document.add_heading("IV- HẠN CHẾ, NGUYÊN NHÂN", level=1)
    _headed(document, ("1. Hạn chế", "2. Nguyên nhân"))
    document.add_heading(f"V- NHIỆM VỤ {sentences.when(report)[1].upper()}", level=1)
    _write_here(document)
    document.add_heading("VI- KIẾN NGHỊ, ĐỀ XUẤT", level=1)
    _headed(document, ("1. Đối với cấp Tỉnh", "2. Đối với cấp Trung ương"))
