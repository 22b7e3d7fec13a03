"""Con Cuông's org tree and its history, as data: the demo seed and the rules' test case.

``valid_from`` of the 2024 units is when the directory starts to know them (the
first reporting period), not their founding date. Later history from public
sources: at the end of 2024 thị trấn Con Cuông, Bồng Khê and thôn Tiến Thành of
Chi Khê became thị trấn Trà Lân; from 1 July 2025 districts ended and the area
became six communes directly under the province. A unit whose parent changes
(Bình Chuẩn) is a new unit with the old one as predecessor.
Units and people are invented for the demo; no real official is named.
"""

from __future__ import annotations

from datetime import date

from intake_service.directory.domain import OrgUnitState

DISTRICT_CODE = "con-cuong"
DISTRICT_NAME = "Huyện Con Cuông"

COMMUNES: dict[str, str] = {
    "tt-con-cuong": "Thị trấn Con Cuông",
    "binh-chuan": "Xã Bình Chuẩn",
    "bong-khe": "Xã Bồng Khê",
    "cam-lam": "Xã Cam Lâm",
    "chau-khe": "Xã Châu Khê",
    "chi-khe": "Xã Chi Khê",
    "don-phuc": "Xã Đôn Phục",
    "lang-khe": "Xã Lạng Khê",
    "luc-da": "Xã Lục Dạ",
    "mau-duc": "Xã Mậu Đức",
    "mon-son": "Xã Môn Sơn",
    "thach-ngan": "Xã Thạch Ngàn",
    "yen-khe": "Xã Yên Khê",
}

KNOWN_FROM = date(2024, 1, 1)
MERGED_2024 = date(2024, 12, 31)  # last day of the units merged into Trà Lân
DISTRICTS_END = date(2025, 6, 30)  # last day of the district level
PROVINCE = "nghe-an"

# The six communes from 1 July 2025, and what each one gathers.
COMMUNES_2025 = {
    "con-cuong-2025": ("Xã Con Cuông", ("tra-lan", "chi-khe", "yen-khe")),
    "mon-son-2025": ("Xã Môn Sơn", ("luc-da", "mon-son")),
    "mau-thach-2025": ("Xã Mậu Thạch", ("mau-duc", "thach-ngan")),
    "cam-phuc-2025": ("Xã Cam Phục", ("cam-lam", "don-phuc")),
    "chau-khe-2025": ("Xã Châu Khê", ("lang-khe", "chau-khe")),
    "binh-chuan-2025": ("Xã Bình Chuẩn", ("binh-chuan",)),
}
INTO_TRA_LAN = ("tt-con-cuong", "bong-khe", "chi-khe-tien-thanh")


def _successor_2025(code: str) -> str:
    return next(new for new, (_name, old) in COMMUNES_2025.items() if code in old)


def _unit_2024(code: str, name: str) -> OrgUnitState:
    if code in INTO_TRA_LAN:
        valid_to, successor = MERGED_2024, "tra-lan"
    else:
        valid_to, successor = DISTRICTS_END, _successor_2025(code)
    level = "township" if name.startswith("Thị trấn") else "commune"
    return OrgUnitState(code, name, level, KNOWN_FROM, DISTRICT_CODE, valid_to, successor)


def org_units() -> list[OrgUnitState]:
    """Every unit of the history, parents before children."""
    units = [
        OrgUnitState(PROVINCE, "Tỉnh Nghệ An", "province", KNOWN_FROM),
        OrgUnitState(DISTRICT_CODE, DISTRICT_NAME, "district", KNOWN_FROM, PROVINCE, DISTRICTS_END),
        *(_unit_2024(code, name) for code, name in COMMUNES.items()),
        OrgUnitState("tra-lan", "Thị trấn Trà Lân", "township", date(2025, 1, 1), DISTRICT_CODE,
                     DISTRICTS_END, "con-cuong-2025"),
        OrgUnitState("chi-khe-tien-thanh", "Thôn Tiến Thành", "village", KNOWN_FROM, "chi-khe",
                     MERGED_2024, "tra-lan"),
    ]
    units += [OrgUnitState(code, name, "commune", date(2025, 7, 1), PROVINCE)
              for code, (name, _old) in COMMUNES_2025.items()]
    return units


# Invented collective bodies and people of the demo: (code, name, kind, org code).
UNITS = (
    ("mon-son-hlhpn", "Hội LHPN xã Môn Sơn", "womens_union", "mon-son"),
    ("mon-son-hnd", "Hội Nông dân xã Môn Sơn", "farmers_union", "mon-son"),
    ("mon-son-bien-phong", "Đồn Biên phòng Môn Sơn", "border_post", "mon-son"),
    ("chau-khe-doan-tn", "Đoàn TN xã Châu Khê", "youth_union", "chau-khe"),
    ("chau-khe-mttq", "Ủy ban MTTQ xã Châu Khê", "fatherland_front", "chau-khe"),
    ("yen-khe-thcs", "Trường THCS Yên Khê", "school", "yen-khe"),
)
PEOPLE = (
    ("mon-son-hlhpn", "Lô Thị Hoa", "Chủ tịch Hội"),
    ("mon-son-hlhpn", "Vi Thị Nguyệt", "Hội viên"),
    ("mon-son-hnd", "Lương Văn Khánh", "Chủ tịch Hội"),
    ("chau-khe-doan-tn", "Vi Văn Tâm", "Bí thư Đoàn"),
    ("yen-khe-thcs", "Kha Thị Dung", "Giáo viên"),
)
