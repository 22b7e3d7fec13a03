"""The org units a submission can come from, until the directory service lands.

Con Cuông district (Nghệ An) as of the first half of 2024: one township and
twelve communes. Codes are stable identifiers; names are shown to users.
"""

from __future__ import annotations

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
