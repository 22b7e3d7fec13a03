"""Inspection settings from the environment, with embedded defaults.

- ``DVK_INSPECTION_SAMPLE_SHARE``: the share of approved models sampled per plan
  ("0.1", "10%" or "1/10"; default 10 %).
- ``DVK_INSPECTION_CRITERIA``: the checklist, a JSON list of criteria, each a text or
  ``{"code": "...", "label": "..."}``; default: the five criteria below, translated.
- ``DVK_INSPECTION_DUE_DAYS``: how long a team has from assignment (default 30 days).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from flask_babel import lazy_gettext as _l

from review_service.inspections.sampling import parse_share

DEFAULT_DUE_DAYS = 30
DEFAULT_CRITERIA = {
    "exists": _l("The model exists and runs as registered"),
    "activities": _l("The activities were carried out as planned"),
    "results": _l("The reported results match what was seen on site"),
    "people": _l("Local people know the model and take part in it"),
    "records": _l("Records, accounts and photos back the figures"),
}
CODE = re.compile(r"[a-z0-9_]{1,40}")


@dataclass(frozen=True)
class InspectionConfig:
    sample_share: Fraction
    criteria: dict[str, object]  # code -> label (a lazy translation for the defaults)
    due: timedelta


def criteria_from_json(text: str | None) -> dict[str, object]:
    """The checklist: the defaults, or the configured list in its order."""
    if text is None or not text.strip():
        return dict(DEFAULT_CRITERIA)
    given = json.loads(text)
    if not isinstance(given, list) or not given:
        raise ValueError("DVK_INSPECTION_CRITERIA must be a non-empty JSON list")
    criteria: dict[str, object] = {}
    for number, entry in enumerate(given, start=1):
        if isinstance(entry, str):
            code, label = f"c{number}", entry
        elif isinstance(entry, dict) and CODE.fullmatch(str(entry.get("code", ""))):
            code, label = entry["code"], str(entry.get("label") or entry["code"])
        else:
            raise ValueError(f"criterion {number} needs a text or a code of a-z, 0-9 and _")
        if code in criteria or not label.strip() or label.strip() in criteria.values():
            raise ValueError(f"criterion {number} repeats another or has no label")
        criteria[code] = label.strip()
    return criteria


def from_env(environ: Mapping[str, str]) -> InspectionConfig:
    env = environ
    return InspectionConfig(
        sample_share=parse_share(env.get("DVK_INSPECTION_SAMPLE_SHARE")),
        criteria=criteria_from_json(env.get("DVK_INSPECTION_CRITERIA")),
        due=timedelta(days=int(env.get("DVK_INSPECTION_DUE_DAYS") or DEFAULT_DUE_DAYS)),
    )
