"""The award dossier (hồ sơ đề nghị khen thưởng) as documents: DOCX to edit, PDF, and an XLSX list.

The DOCX is a bundle of official documents, each beginning on a page of its own with its own
heading and its pages numbered from its second: the request letter (tờ trình) of the district's
steering committee with the list of nominees, each nominee's achievement report
(``achievement_report``), and the minutes of the committee sessions that chose the exemplars
(the committee's own ``minutes.build``, appended). The PDF is LibreOffice's print of that same
DOCX, so the two always say the same. Official documents, so their text is Vietnamese whatever
the reader's interface language.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Font

from review_service.nominations import achievement_report
from review_service.nominations.domain import AwardForm
from review_service.nominations.tables import Nomination
from review_service.nominations.wording import (
    COMMENDATION_TYPES,
    INDICATORS,
    INSPECTION,
    LEVELS,
    STATUSES,
    SUBJECT_TYPES,
)
from review_service.queue.tables import ReviewItem
from shared import pdf, spreadsheets
from shared.letterhead import bodies as issuers
from shared.letterhead import cells, closing, heading, page, signing
from shared.letterhead.wording import in_sentence

KIND = "TTr"
LIST_HEADERS = ("STT", "Tập thể, cá nhân", "Mô hình", "Xã", "Hình thức khen thưởng", "Cấp",
                "Loại khen thưởng")
LIST_WIDTHS = tuple(Mm(w) for w in (13, 34, 43, 22, 20, 15, 18))  # 165 mm between the margins
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
          progress: Callable[[], None] = lambda: None, district_code: str = "",
          bodies: tuple[issuers.IssuingBody, ...] | None = None) -> Files:
    """The three files of a dossier dated ``today`` (Vietnam's day); ``progress`` is called after
    each nominee's report."""
    body = issuers.choose(bodies or issuers.from_list(issuers.DEFAULTS), issuers.STEERING_COMMITTEE,
                          district_code, district_name)
    document = page.new_document()
    _letter(document, people, body, district_name, today)
    for person in people:
        page.new_part(document)
        achievement_report.write(document, person, today)
        progress()
    for part in minutes:
        page.new_part(document)
        _append(document, Document(BytesIO(part)))
    buffer = BytesIO()
    document.save(buffer)
    docx = buffer.getvalue()
    signed = signing.sign(pdf.from_docx(docx), body, reason="Hồ sơ đề nghị khen thưởng")
    return Files(docx=docx, pdf=signed, xlsx=workbook(people))


# ---- the request letter --------------------------------------------------------------------


def _letter(document, people: list[Nominee], body: issuers.IssuingBody, district_name: str,
            today: date) -> None:
    heading.letterhead(document, body, KIND, today)
    council = "Hội đồng Thi đua - Khen thưởng" + (f" {in_sentence(district_name)}" if district_name else "")
    heading.title(document, "TỜ TRÌNH", "Về việc đề nghị khen thưởng tập thể, cá nhân có mô hình\n"
                  "“Dân vận khéo” tiêu biểu", to=f"Kính gửi: {council}")
    collectives = sum(1 for p in people if p.nomination.subject_type == "collective")
    document.add_paragraph(
        "Căn cứ kết quả xét, biểu quyết của Ban Chỉ đạo phong trào thi đua “Dân vận khéo” và kết quả "
        "kiểm tra thực tế các mô hình, Ban Chỉ đạo kính đề nghị xem xét, khen thưởng "
        f"{len(people)} đề nghị ({collectives} tập thể, {len(people) - collectives} cá nhân) "
        "có thành tích xuất sắc trong phong trào, gồm:")
    lines = []
    for number, person in enumerate(people, start=1):
        n = person.nomination
        lines.append([str(number), f"{n.subject_name} ({SUBJECT_TYPES.get(n.subject_type, '')})",
                      "; ".join(model["title"] for model in n.models), n.commune_name,
                      person.award_form_name, LEVELS.get(n.level, n.level),
                      COMMENDATION_TYPES.get(n.commendation_type, n.commendation_type)])
    cells.grid(document, list(LIST_HEADERS), lines, LIST_WIDTHS, size=11)
    document.add_paragraph("(Có báo cáo thành tích của từng tập thể, cá nhân và biên bản họp "
                           "Ban Chỉ đạo kèm theo.)")
    document.add_paragraph("Kính đề nghị xem xét, quyết định./.")
    closing.recipients_and_signer(document, body.recipients_of("request"), body.signer_of("request"))


# ---- the minutes, appended -----------------------------------------------------------------


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
        sheet.append(spreadsheets.row(sheet, [  # names and titles are people's text
            number, n.id, n.subject_name, SUBJECT_TYPES.get(n.subject_type, n.subject_type),
            "; ".join(model["title"] for model in n.models),
            ", ".join(str(model_id) for model_id in n.model_ids), n.commune_name,
            person.award_form_name, LEVELS.get(n.level, n.level),
            COMMENDATION_TYPES.get(n.commendation_type, n.commendation_type),
            STATUSES.get(n.status, n.status), INSPECTION.get(n.inspection_outcome, ""),
            n.decision_number, n.decision_date, n.signer,
            *(totals.get(code) for code in INDICATORS)]))
    for column, width in zip("ABCDEFG", (5, 10, 32, 10, 40, 12, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
