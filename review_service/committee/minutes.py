"""The minutes (biên bản) of a committee session as a Word document, in the layout of the
district's steering committee (``shared.letterhead``).

An official document, so its text is Vietnamese whatever the reader's interface language.
"""

from __future__ import annotations

from io import BytesIO

from docx.shared import Mm
from sqlalchemy.orm import object_session

from review_service.committee.tables import CommitteeSession
from review_service.mirrors.directory import OrgUnitCopy
from shared.days import VIETNAM
from shared.letterhead import bodies as issuers
from shared.letterhead import cells, closing, heading, page
from shared.letterhead.bodies import IssuingBody, Signer
from shared.letterhead.wording import day_and_month

KIND = "BB"
DECISION_TYPES = {"recognise": "Công nhận mô hình", "exemplar": "Công nhận, chọn làm điển hình"}
OUTCOMES = {"approved": "Thông qua", "rejected": "Không thông qua",
            "no_quorum": "Không đủ số thành viên biểu quyết", "skipped": "Không xét (đã có quyết định)",
            None: "Chưa kết thúc biểu quyết"}
HEADERS = ("STT", "Mô hình", "Đơn vị, xã", "Nội dung", "Tán thành", "Không tán thành",
           "Không biểu quyết", "Kết quả")
WIDTHS = tuple(Mm(w) for w in (13, 34, 30, 21, 15, 17, 17, 18))  # 165 mm, every word whole
SUMMARY = "Họp Ban Chỉ đạo phong trào thi đua “Dân vận khéo”"


def build(found: CommitteeSession, attendance: dict[int, str],
          bodies: tuple[IssuingBody, ...] | None = None) -> bytes:
    """The session's minutes: heading, attendance, the agenda with tallies, and signatures."""
    body = issuer(found, bodies)
    document = page.new_document()
    heading.letterhead(document, body, KIND, found.meeting_date)
    heading.title(document, "BIÊN BẢN", f"{SUMMARY}\n{found.title}")
    _opening(document, found)
    _attendance(document, found, attendance)
    _agenda(document, found)
    _signatures(document, found, body)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def issuer(found: CommitteeSession, bodies: tuple[IssuingBody, ...] | None) -> IssuingBody:
    """The steering committee of the session's district, named as the directory names it."""
    session = object_session(found)
    district = session.get(OrgUnitCopy, found.district_code) if session is not None else None
    return issuers.choose(bodies or issuers.from_list(issuers.DEFAULTS), issuers.STEERING_COMMITTEE,
                          found.district_code, district.name if district else "")


def _opening(document, found: CommitteeSession) -> None:
    document.add_paragraph(f"Thời gian: {day_and_month(found.meeting_date)}.")
    document.add_paragraph(f"Chủ trì: {found.opened_by or found.created_by}.")


def _attendance(document, found: CommitteeSession, attendance: dict[int, str]) -> None:
    document.add_paragraph(f"Thành phần: {len(attendance)}/{found.member_count} thành viên "
                           "Ban Chỉ đạo tham gia biểu quyết, gồm:")
    for name in attendance.values():
        document.add_paragraph(name, style="List Bullet")


def _agenda(document, found: CommitteeSession) -> None:
    document.add_paragraph("Nội dung: xét, biểu quyết các mô hình sau:")
    lines = []
    for number, entry in enumerate(found.agenda, start=1):
        tallies = entry.tallies or {}
        outcome = OUTCOMES.get(entry.outcome, entry.outcome)
        if entry.exemplar:
            outcome += "; chọn làm điển hình"
        item = entry.item
        lines.append([str(number), item.title, f"{item.submitter_name}, {item.commune_name}",
                      DECISION_TYPES.get(entry.decision_type, entry.decision_type),
                      str(tallies.get("approve", "")), str(tallies.get("reject", "")),
                      str(tallies.get("abstain", "")), outcome])
    cells.grid(document, list(HEADERS), lines, WIDTHS, size=11)


def _signatures(document, found: CommitteeSession, body: IssuingBody) -> None:
    if found.closed_at:
        closed = found.closed_at.astimezone(VIETNAM)
        document.add_paragraph(f"Biểu quyết kết thúc lúc {closed:%H:%M} ngày {closed:%d/%m/%Y}.")
    document.add_paragraph("Biên bản được lập xong hồi cùng ngày, đã đọc lại cho các thành viên "
                           "dự họp cùng nghe và thống nhất./.")
    chair = found.closed_by or found.opened_by or found.created_by
    closing.two_signers(document, Signer(title="THƯ KÝ"), Signer(title="CHỦ TRÌ", name=chair),
                        note="(Ký, ghi rõ họ tên)")
    closing.recipients(document, body.recipients_of("minutes"))
