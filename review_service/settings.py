"""Review's settings: the shared ones and those of its own features, built once in the bootstrap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from review_service.chains import rules as chain_rules
from review_service.committee import config as committee_config
from review_service.committee.domain import Rule
from review_service.inspections import config as inspections_config
from review_service.inspections.config import InspectionConfig
from review_service.nominations import config as nominations_config
from review_service.nominations.domain import AwardForm
from review_service.nominations.dossier_rules import DossierRules
from review_service.queue import config as deadlines
from shared.letterhead import bodies as issuers
from shared.letterhead.bodies import IssuingBody
from shared.settings import Problems, Settings


@dataclass(frozen=True)
class ReviewSettings:
    shared: Settings
    chain_config: str  # shipped chains in force until an administrator saves others
    stage_due: dict[str, timedelta]  # each stage's due time; deadlines.DEFAULT_DUE_DAYS otherwise
    escalate_after: timedelta  # how long after its due time a reminded item is escalated
    committee_rules: dict[str, Rule]  # quorum and majority per kind of committee decision
    inspections: InspectionConfig  # sample share, checklist, due time
    award_forms: tuple[AwardForm, ...]  # the forms of award a nomination may propose
    issuing_bodies: tuple[IssuingBody, ...]  # who issues the minutes and the dossier's documents
    dossier_rules: DossierRules  # a dossier's parts and what holds a nomination back

    def due_after(self, stage: str) -> timedelta:
        """How long an item has at ``stage``."""
        return deadlines.due_after(self.stage_due, stage)


def from_settings(settings: Settings) -> ReviewSettings:
    """Read review's feature settings from the variables the shared settings were read from;
    every bad one raises at once (``SettingsError``), named."""
    env, problems = settings.environ, Problems()
    config = ReviewSettings(
        shared=settings,
        chain_config=problems.read("DVK_CHAIN_CONFIG", _shipped_chain, settings.chain_config),
        stage_due=problems.read("DVK_STAGE_DUE_DAYS", deadlines.stage_due_days, env),
        escalate_after=problems.read("DVK_ESCALATE_AFTER_DAYS", deadlines.escalate_after, env),
        committee_rules=problems.read("DVK_COMMITTEE_RULES", committee_config.from_env, env),
        inspections=problems.read("DVK_INSPECTION_SAMPLE_SHARE, DVK_INSPECTION_CRITERIA or "
                                  "DVK_INSPECTION_DUE_DAYS", inspections_config.from_env, env),
        award_forms=problems.read("DVK_AWARD_FORMS", nominations_config.award_forms, env),
        issuing_bodies=problems.read("DVK_ISSUING_BODIES", issuers.from_environ, env),
        dossier_rules=problems.read("DVK_DOSSIER_RULES", nominations_config.dossier_rules, env),
    )
    problems.check()
    return config


def _shipped_chain(name: str) -> str:
    if name not in chain_rules.SHIPPED:
        raise ValueError(f"{name!r} is not a shipped configuration ({', '.join(chain_rules.SHIPPED)})")
    return name
