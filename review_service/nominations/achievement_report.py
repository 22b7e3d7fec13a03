"""Each nominee's achievement report (báo cáo thành tích), in the state layout.

Written by the nominee (a collective under its commune, an individual in their own name) and
confirmed by the proposing level: filled from the model's registered data, its result reports,
the reasons and achievements written while the nomination was prepared, and the inspection.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from review_service.nominations import wording
from review_service.nominations.tables import Nomination
from review_service.queue.tables import ReviewItem
from shared.letterhead import cells, closing, heading
from shared.letterhead.bodies import IssuingBody, Signer
from shared.letterhead.wording import STATE, place_of
from shared.web.formatting import vn_number

ACHIEVEMENTS_TO_WRITE = "(Tập thể, cá nhân bổ sung thành tích cụ thể.)"
RESULT_HEADERS = ("Kỳ báo cáo", "Chỉ tiêu", "Kết quả")


def nominee_body(n: Nomination) -> IssuingBody:
    """Who writes the report: a collective under its commune; an individual, in their own name."""
    collective = n.subject_type == "collective"
    return IssuingBody(code="nominee", layout=STATE, symbol="",
                       parent=n.commune_name.upper() if collective else "",
                       name=n.subject_name.upper() if collective else "",
                       place=place_of(n.commune_name))


def write(document, person, today: date) -> None:
    """One nominee's achievement report, from its heading to its signatures."""
    n = person.nomination
    heading.letterhead(document, nominee_body(n), None, today)
    level = wording.LEVELS.get(n.level, n.level).lower()
    kind = wording.COMMENDATION_TYPES.get(n.commendation_type, "").lower()
    heading.title(document, "BÁO CÁO THÀNH TÍCH",
                  f"Đề nghị tặng {person.award_form_name} ({level}, {kind})\ncủa {n.subject_name}")
    document.add_heading("I. Sơ lược", level=2)
    for label, value in (("Tập thể, cá nhân", n.subject_name),
                         ("Đối tượng", wording.SUBJECT_TYPES.get(n.subject_type, n.subject_type)),
                         ("Địa bàn", n.commune_name), ("Số đề nghị", str(n.id))):
        document.add_paragraph(f"{label}: {value}.")
    document.add_heading("II. Mô hình đã đăng ký", level=2)
    for model in n.models:
        _registered(document, n, model)
    document.add_heading("III. Kết quả thực hiện", level=2)
    _results(document, person.results)
    document.add_heading("IV. Thành tích đạt được", level=2)
    _paragraphs(document, n.achievements or ACHIEVEMENTS_TO_WRITE)
    document.add_heading("V. Lý do đề nghị khen thưởng", level=2)
    _paragraphs(document, n.reasons or "")
    outcome = wording.INSPECTION.get(n.inspection_outcome, n.inspection_outcome)
    document.add_paragraph(f"Kết quả kiểm tra thực tế: {outcome}." + (f" {n.findings}" if n.findings else ""))
    if n.decision_number:
        document.add_paragraph(f"Đã được khen thưởng theo Quyết định số {n.decision_number} ngày "
                               f"{n.decision_date:%d/%m/%Y}, người ký: {n.signer}.")
    reporter = "THỦ TRƯỞNG ĐƠN VỊ" if n.subject_type == "collective" else "NGƯỜI BÁO CÁO"
    closing.two_signers(document, Signer(title="XÁC NHẬN CỦA CẤP TRÌNH KHEN"),
                        Signer(title=reporter, name="" if n.subject_type == "collective" else n.subject_name),
                        note="(Ký, ghi rõ họ tên, đóng dấu)")


def _paragraphs(document, text: str) -> None:
    for part in text.splitlines() or [""]:
        document.add_paragraph(part)


def _registered(document, n: Nomination, model: dict) -> None:
    item = n.item if model.get("item_id") == n.item_id else None
    document.add_paragraph(f"Tên mô hình: {model['title']} (mã số {model['model_id']}).")
    if item is None:
        return
    document.add_paragraph(f"Lĩnh vực: {wording.FIELDS.get(item.field, item.field)}.")
    details = item.details or {}
    for key, label in wording.DETAILS.items():
        if details.get(key):
            document.add_paragraph(f"{label}: {details[key]}")
    for key, (label, unit) in wording.RESOURCES.items():
        if details.get(key) is not None:
            document.add_paragraph(f"{label}: {vn_number(details[key])} {unit}.")


def _results(document, reports: list[ReviewItem]) -> None:
    if not reports:
        document.add_paragraph("Chưa có báo cáo kết quả.")
        return
    lines = []
    for report in reports:
        facts = report.report or {}
        period = wording.period_name(facts.get("period") or {})
        for figure in facts.get("indicators", []):
            label, unit = wording.INDICATORS.get(figure["code"], (figure["code"], ""))
            lines.append([period, label, f"{vn_number(Decimal(figure['value']))} {unit}".strip()])
    cells.grid(document, list(RESULT_HEADERS), lines)
    for report in reports:
        narrative = (report.report or {}).get("narrative")
        if narrative:
            period = wording.period_name((report.report or {}).get("period") or {})
            document.add_paragraph(f"{period}: {narrative}")
