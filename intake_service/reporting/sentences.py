"""The sentences the report writes from its figures, in the seed report's own words.

Vietnamese whatever the reader's language: they are the official document's text. Names are
written as the directory spells them ("huyện Con Cuông").
"""

from __future__ import annotations

from intake_service.reporting import domain
from intake_service.reporting.services import Report
from shared.letterhead.wording import in_sentence
from shared.web.formatting import vn_number

FIELDS_VI = {"economy": "kinh tế", "culture_society": "văn hóa - xã hội", "new_rural": "nông thôn mới",
             "defense_security": "quốc phòng - an ninh", "political_system": "xây dựng hệ thống chính trị"}
FIELD_SECTIONS = (("2.1", "Lĩnh vực kinh tế", "economy"),
                  ("2.2", "Lĩnh vực văn hóa - xã hội", "culture_society"),
                  ("2.3", "Lĩnh vực Quốc phòng, An ninh", "defense_security"),
                  ("2.4", "Lĩnh vực xây dựng Đảng và hệ thống chính trị", "political_system"))
KINDS = {"Huyện": "huyện", "Xã": "xã", "Thị trấn": "thị trấn", "Tỉnh": "tỉnh", "Phường": "phường",
         "Thành phố": "thành phố", "Thị xã": "thị xã"}


def when(report: Report) -> tuple[str, str]:
    """'6 tháng đầu năm 2024' and '6 tháng cuối năm 2024', or the year's and the next's."""
    year = report.period.year
    if report.period.kind == "H1":
        return f"6 tháng đầu năm {year}", f"6 tháng cuối năm {year}"
    return f"năm {year}", f"năm {year + 1}"


def where(report: Report) -> str:
    """'huyện Con Cuông', or the whole country."""
    return in_sentence(report.org_name) if report.org_name else "toàn quốc"


def whole_area(report: Report) -> str:
    """'Toàn huyện', 'Toàn xã' — how the seed opens a field's paragraph."""
    for prefix, kind in KINDS.items():
        if report.org_name.startswith(prefix + " "):
            return f"Toàn {kind}"
    return "Toàn quốc"


def summary(report: Report) -> str:
    """Section III.2's opening paragraph, with the report's figures."""
    reg = report.registered
    collective, individual = reg.by_subject["collective"], reg.by_subject["individual"]

    def fields(counts: domain.Counts) -> str:
        return ", ".join(f"{FIELDS_VI[f]}: {vn_number(counts.by_field[f])} mô hình"
                         for f in domain.FIELD_CODES)

    return (f"Trong {when(report)[0]}, tổng mô hình “Dân vận khéo” được đăng ký trên địa bàn "
            f"{where(report)} là {vn_number(reg.total)} (Tập thể: {vn_number(collective.models)} mô hình, "
            f"cá nhân: {vn_number(individual.models)} mô hình). Trong đó, tập thể: "
            f"{vn_number(collective.holders)} đơn vị với {vn_number(collective.models)} mô hình "
            f"({fields(collective)}). Cá nhân: {vn_number(individual.holders)} người với "
            f"{vn_number(individual.models)} mô hình ({fields(individual)}).")


def field_counts(report: Report, code: str) -> tuple[int, int]:
    by_subject = report.registered.by_subject
    return by_subject["collective"].by_field[code], by_subject["individual"].by_field[code]


def field_sentence(report: Report, code: str) -> str:
    """A field's count as the seed writes it: 'Có 58 mô hình được đăng ký xây dựng (trong đó có
    24 mô hình tập thể và 34 mô hình cá nhân)'."""
    c, i = (vn_number(n) for n in field_counts(report, code))
    total = vn_number(sum(field_counts(report, code)))
    if code == "economy":
        return ("Trên lĩnh vực phát triển kinh tế, phong trào thi đua “Dân vận khéo” tiếp tục được đẩy "
                f"mạnh; Có {total} mô hình được đăng ký xây dựng (trong đó có {c} mô hình tập thể và "
                f"{i} mô hình cá nhân).")
    if code == "culture_society":
        return (f"{whole_area(report)} có {total} mô hình đăng ký xây dựng, trong đó (tập thể: {c} mô hình, "
                f"cá nhân {i} mô hình).")
    if code == "defense_security":
        return f"Có {total} mô hình đăng ký xây dựng trên địa bàn ({c} mô hình tập thể, {i} mô hình cá nhân)."
    return (f"{whole_area(report)} có {total} mô hình đăng ký xây dựng ({c} mô hình tập thể, "
            f"{i} mô hình cá nhân).")


def new_rural_sentence(report: Report) -> str:
    """The new-rural models, which the seed counts inside the economy's section."""
    c, i = (vn_number(n) for n in field_counts(report, "new_rural"))
    total = vn_number(sum(field_counts(report, "new_rural")))
    return (f"Phong trào thi đua “Dân vận khéo” gắn với xây dựng nông thôn mới có {total} mô hình được "
            f"đăng ký ({c} mô hình tập thể, {i} mô hình cá nhân), đã huy động được cả hệ thống chính trị "
            "vào cuộc, vận động Nhân dân hiến đất, đóng góp ngày công, tiền mặt")


def footnote(report: Report) -> str:
    """The seed's footnote: what the whole system mobilised, from approved result reports."""
    sums = report.contributions
    return (f"Trong {when(report)[0]}, cả hệ thống chính trị trên địa bàn {where(report)} đã vận động nhân "
            f"dân đóng góp ủng hộ xây dựng NTM gồm: {vn_number(sums['money_vnd'])} đồng tiền mặt, "
            f"{vn_number(sums['labour_days'])} công lao động, nhân dân tự nguyện hiến "
            f"{vn_number(sums['land_m2'])} m² đất, {vn_number(sums['road_km'])} km đường giao thông nông "
            "thôn được làm mới và nâng cấp.")


def recognition(report: Report) -> str:
    rec = report.recognition
    return (f"Mô hình được chọn làm điển hình: {vn_number(rec['exemplars'].get('exemplar', 0))}; "
            f"kiểm tra: {vn_number(sum(rec['inspections'].values()))} mô hình "
            f"(đạt {vn_number(rec['inspections'].get('verified', 0))}); "
            f"đề nghị khen thưởng: {vn_number(sum(rec['nominations'].values()))}; "
            f"đã khen thưởng: {vn_number(sum(rec['awards'].values()))}.")
