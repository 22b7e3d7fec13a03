"""Review's blueprints: queue pages and the JSON API."""

from __future__ import annotations

from flask import current_app

from review_service.bootstrap import Review


def review() -> Review:
    return current_app.extensions["review"]
