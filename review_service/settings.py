"""Review's settings: the shared ones and those of its own features, built once in the bootstrap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from review_service.committee import config as committee_config
from review_service.committee.domain import Rule
from review_service.inspections import config as inspections_config
from review_service.inspections.config import InspectionConfig
from review_service.nominations import config as nominations_config
from review_service.nominations.domain import AwardForm
from review_service.queue import config as deadlines
from shared.settings import Settings


@dataclass(frozen=True)
class ReviewSettings:
    shared: Settings
    chain_config: str  # shipped chains in force until an administrator saves others
    stage_due: dict[str, timedelta]  # each stage's due time; deadlines.DEFAULT_DUE_DAYS otherwise
    escalate_after: timedelta  # how long after its due time a reminded item is escalated
    committee_rules: dict[str, Rule]  # quorum and majority per kind of committee decision
    inspections: InspectionConfig  # sample share, checklist, due time
    award_forms: tuple[AwardForm, ...]  # the forms of award a nomination may propose

    def due_after(self, stage: str) -> timedelta:
        """How long an item has at ``stage``."""
        return deadlines.due_after(self.stage_due, stage)


def from_settings(settings: Settings) -> ReviewSettings:
    """Read review's feature settings from the variables the shared settings were read from."""
    env = settings.environ
    return ReviewSettings(
        shared=settings,
        chain_config=settings.chain_config,
        stage_due=deadlines.stage_due_days(env),
        escalate_after=deadlines.escalate_after(env),
        committee_rules=committee_config.from_env(env),
        inspections=inspections_config.from_env(env),
        award_forms=nominations_config.award_forms(env),
    )
