"""Intake's blueprints: sign-in, submission pages, JSON API."""

from __future__ import annotations

from flask import current_app

from intake_service.bootstrap import Intake


def intake() -> Intake:
    return current_app.extensions["intake"]
