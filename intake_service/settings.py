"""Intake's settings: the shared ones and those of its own features, built once in the bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

from intake_service.bulk.config import ImportSettings
from intake_service.bulk.config import from_env as imports_from_env
from intake_service.periods.config import PeriodSettings
from intake_service.periods.config import from_env as periods_from_env
from shared.letterhead import bodies as issuers
from shared.letterhead.bodies import IssuingBody
from shared.settings import Problems, Settings


@dataclass(frozen=True)
class IntakeSettings:
    shared: Settings
    periods: PeriodSettings  # kinds of period, reminder days, SMTP
    imports: ImportSettings  # where uploaded workbooks wait
    issuing_bodies: tuple[IssuingBody, ...]  # who issues the report


def from_settings(settings: Settings) -> IntakeSettings:
    """Read intake's feature settings from the variables the shared settings were read from;
    every bad one raises at once (``SettingsError``), named."""
    env, problems = settings.environ, Problems()
    periods = problems.read("DVK_PERIOD_KINDS, DVK_REMIND_DAYS_BEFORE, DVK_REMIND_DAYS_AFTER or "
                            "SMTP_PORT", periods_from_env, env)
    imports = problems.read("DVK_IMPORT_DIR", imports_from_env, settings, env)
    bodies = problems.read("DVK_ISSUING_BODIES", issuers.from_environ, env)
    problems.check()
    return IntakeSettings(shared=settings, periods=periods, imports=imports, issuing_bodies=bodies)
