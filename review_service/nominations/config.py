"""The award forms a nomination may propose, read from ``DVK_AWARD_FORMS`` (JSON).

Kept beside the feature rather than in ``shared.settings``: only review's nominations read them.
Example: ``[{"code": "giay_khen", "name": "Giấy khen", "level": "district"},
{"code": "bang_khen", "name": "Bằng khen", "level": "province"}]``. Unset: giấy khen (district),
bằng khen (province) and giấy chứng nhận (certificate of recognition).
"""

from __future__ import annotations

from collections.abc import Mapping

from review_service.nominations import dossier_rules as rules
from review_service.nominations.domain import AwardForm, award_forms_from_json


def award_forms(environ: Mapping[str, str]) -> tuple[AwardForm, ...]:
    env = environ
    return award_forms_from_json(env.get("DVK_AWARD_FORMS"))



def dossier_rules(environ: Mapping[str, str]) -> rules.DossierRules:
    """What a dossier holds and what holds a nomination back (``DVK_DOSSIER_RULES``, JSON)."""
    return rules.from_json(environ.get("DVK_DOSSIER_RULES"))
