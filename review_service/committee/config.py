"""The committee's voting rules per decision type, read from ``DVK_COMMITTEE_RULES`` (JSON).

Kept beside the feature rather than in ``shared.settings``: only review's committee reads them.
Example: ``{"recognise": {"quorum": "1/2"}, "exemplar": {"majority": "3/4", "inclusive": true}}``.
"""

from __future__ import annotations

from collections.abc import Mapping

from review_service.committee.domain import Rule, rules_from_json


def from_env(environ: Mapping[str, str]) -> dict[str, Rule]:
    env = environ
    return rules_from_json(env.get("DVK_COMMITTEE_RULES"))
