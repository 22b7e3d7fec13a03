"""The minutes (biên bản) of a committee session as a Word document.

An official document, so its text is Vietnamese whatever the reader's interface language.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from review_service.committee.tables import CommitteeSession
from shared.days import VIETNAM
from shared.documents import centred

DECISION_TYPES = {"recognise": "Công nhận mô hình", "exemplar": "Công nhận, chọn làm điển hình"}
OUTCOMES = {"approved": "Thông qua", "rejected": "Không thông qua",
            "no_quorum": "Không đủ số thành viên biểu quyết", "skipped": "Không xét (đã có quyết định)",
            None: "Chưa kết thúc biểu quyết"}
HEADERS = ("STT", "Mô hình", "Đơn vị, xã", "Nội dung", "Tán thành", "Không tán thành",
           "Không biểu quyết", "Kết quả")


def build(found: CommitteeSession, attendance: dict[int, str]) -> bytes:
    """The session's minutes: heading, attendance, the agenda with tallies, and signatures."""
    document = Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    _heading(document, found)
    _attendance(document, found, attendance)
    _agenda(document, found)
    _signatures(document, found)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _heading(document, found: CommitteeSession) -> None:
    centred(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    centred(document, "Độc lập - Tự do - Hạnh phúc", bold=True)
    centred(document, "BIÊN BẢN HỌP BAN CHỈ ĐẠO PHONG TRÀO THI ĐUA \"DÂN VẬN KHÉO\"",
            bold=True, size=14)
    centred(document, found.title)
    day = found.meeting_date
    document.add_paragraph(f"Thời gian: ngày {day.day:02d} tháng {day.month:02d} năm {day.year}.")
    document.add_paragraph(f"Chủ trì: {found.opened_by or found.created_by}.")


def _attendance(document, found: CommitteeSession, attendance: dict[int, str]) -> None:
    document.add_paragraph(f"Thành phần: {len(attendance)}/{found.member_count} thành viên "
                           "Ban Chỉ đạo tham gia biểu quyết, gồm:")
    for name in attendance.values():
        document.add_paragraph(name, style="List Bullet")


def _agenda(document, found: CommitteeSession) -> None:
    document.add_paragraph("Nội dung: xét, biểu quyết các mô hình sau:")
    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = text
    for number, entry in enumerate(found.agenda, start=1):
        tallies = entry.tallies or {}
        outcome = OUTCOMES.get(entry.outcome, entry.outcome)
        if entry.exemplar:
            outcome += "; chọn làm điển hình"
        row = (str(number), entry.item.title,
               f"{entry.item.submitter_name}, {entry.item.commune_name}",
               DECISION_TYPES.get(entry.decision_type, entry.decision_type),
               str(tallies.get("approve", "")), str(tallies.get("reject", "")),
               str(tallies.get("abstain", "")), outcome)
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _signatures(document, found: CommitteeSession) -> None:
    if found.closed_at:
        closed = found.closed_at.astimezone(VIETNAM)
        document.add_paragraph(f"Biểu quyết kết thúc lúc {closed:%H:%M} ngày {closed:%d/%m/%Y}.")
    table = document.add_table(rows=3, cols=2)
    for cell, text in zip(table.rows[0].cells, ("THƯ KÝ", "CHỦ TRÌ"), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    table.rows[1].cells[0].text = "(Ký, ghi rõ họ tên)"
    table.rows[1].cells[1].text = "(Ký, ghi rõ họ tên)"
    table.rows[2].cells[1].text = found.closed_by or found.opened_by or found.created_by
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
