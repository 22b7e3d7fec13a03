"""Intake's settings: the shared ones and those of its own features, built once in the bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

from intake_service.bulk.config import ImportSettings
from intake_service.bulk.config import from_env as imports_from_env
from intake_service.periods.config import PeriodSettings
from intake_service.periods.config import from_env as periods_from_env
from shared.settings import Settings


@dataclass(frozen=True)
class IntakeSettings:
    shared: Settings
    periods: PeriodSettings  # kinds of period, reminder days, SMTP
    imports: ImportSettings  # where uploaded workbooks wait


def from_settings(settings: Settings) -> IntakeSettings:
    """Read intake's feature settings from the variables the shared settings were read from."""
    return IntakeSettings(shared=settings, periods=periods_from_env(settings.environ),
                          imports=imports_from_env(settings, settings.environ))
