"""rq jobs of result reports: thumbnails of photos, made after the upload, off the request."""

from __future__ import annotations

import logging

from intake_service.bootstrap import bootstrap
from intake_service.results import services
from intake_service.results.evidence import Store
from shared.settings import from_env

log = logging.getLogger(__name__)
EVERY_TEN_MINUTES = 600


def make_thumbnail(evidence_id: int) -> str | None:
    """The thumbnail of one uploaded image."""
    settings = from_env()
    intake = bootstrap(settings)
    try:
        with intake.sessions() as session:
            return services.thumbnail_made(session, evidence_id, Store(settings.evidence_dir))
    finally:
        intake.engine.dispose()


def sweep_thumbnails() -> int:
    """Make the thumbnails whose job was never queued (Redis was away at upload) or failed."""
    settings = from_env()
    intake = bootstrap(settings)
    made = 0
    try:
        with intake.sessions() as session:
            for evidence_id in services.missing_thumbnails(session):
                try:
                    services.thumbnail_made(session, evidence_id, Store(settings.evidence_dir))
                    made += 1
                except OSError:
                    session.rollback()
                    log.warning("no thumbnail for evidence %s", evidence_id, exc_info=True)
    finally:
        intake.engine.dispose()
    return made


def register(scheduler) -> None:
    """Have rq's cron scheduler catch up on missing thumbnails every ten minutes."""
    scheduler.register(sweep_thumbnails, interval=EVERY_TEN_MINUTES,
                       name="evidence-thumbnails")
