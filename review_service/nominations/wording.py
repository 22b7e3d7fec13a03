"""The Vietnamese words of the dossier's documents: official text, whatever the reader's language."""

from __future__ import annotations

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


def period_name(period: dict) -> str:
    template = PERIODS.get(period.get("kind", ""))
    year = period.get("year", "")
    return template.format(year=year) if template else f"{period.get('kind', '')} {year}".strip()
