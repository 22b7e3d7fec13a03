"""What a commendation dossier holds and what holds a nomination back, as Nghị định 152/2025/NĐ-CP
(in force from 1 July 2025, replacing Nghị định 98/2023) sets them: configuration with today's
defaults (``DVK_DOSSIER_RULES``), shown to the people who prepare the dossier.

``{"parts": [...], "holds": [...], "deadlines": {"district": "...", ...}}``: the dossier's parts
in order, the situations in which a subject is not proposed (flagged ineligible), and how long
each level takes to process a dossier, as the administrator words it (no default: the decree's
and the province's own figures are the administrator's to enter).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

DEFAULT_PARTS = (
    "Tờ trình đề nghị khen thưởng kèm danh sách tập thể, cá nhân được đề nghị",
    "Biên bản họp và kết quả biểu quyết (bỏ phiếu) của Ban Chỉ đạo, Hội đồng Thi đua - Khen thưởng",
    "Báo cáo thành tích của tập thể, cá nhân, có xác nhận của cấp trình khen thưởng",
    "Các văn bản khác có liên quan (nếu có)",
)
DEFAULT_HOLDS = (
    "Đang bị xem xét kỷ luật hoặc đang trong thời gian thi hành kỷ luật",
    "Đang bị điều tra, thanh tra, kiểm tra khi có dấu hiệu vi phạm",
    "Có đơn thư khiếu nại, tố cáo đang được xác minh, làm rõ",
)
LEVELS = ("commune", "district", "province", "central")


@dataclass(frozen=True)
class DossierRules:
    parts: tuple[str, ...] = DEFAULT_PARTS
    holds: tuple[str, ...] = DEFAULT_HOLDS
    deadlines: dict[str, str] = field(default_factory=dict)  # level → how long, as written


def from_json(text: str | None) -> DossierRules:
    """The defaults, or the rules an administrator wrote; what is left out keeps its default."""
    if not text or not text.strip():
        return DossierRules()
    given = json.loads(text)
    if not isinstance(given, dict) or set(given) - {"parts", "holds", "deadlines"}:
        raise ValueError("an object with parts, holds and deadlines is expected")
    parts, holds = (_texts(given, key, default) for key, default in
                    (("parts", DEFAULT_PARTS), ("holds", DEFAULT_HOLDS)))
    deadlines = given.get("deadlines", {})
    if not isinstance(deadlines, dict) or set(deadlines) - set(LEVELS):
        raise ValueError(f"deadlines are given per level ({', '.join(LEVELS)})")
    return DossierRules(parts, holds, {level: str(deadlines[level])
                                       for level in LEVELS if level in deadlines})


def _texts(given: dict, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    found = given.get(key, default)
    if not isinstance(found, list | tuple) or not found or not all(isinstance(t, str) and t for t in found):
        raise ValueError(f"{key} is a non-empty list of texts")
    return tuple(found)
