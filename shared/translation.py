"""Translated text outside a request: jobs write emails, workbooks and documents in a reader's language.

flask-babel translates within an app context, so a job opens the context of a bare app that knows
only the catalogues — no blueprints, sessions, CSRF or security headers — made once per process.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from flask import Flask
from flask_babel import Babel, force_locale

DEFAULT_LANGUAGE = "vi"


@cache
def _catalogues() -> Flask:
    app = Flask(__name__)
    app.config.update(BABEL_DEFAULT_LOCALE=DEFAULT_LANGUAGE, BABEL_TRANSLATION_DIRECTORIES=str(
        importlib.resources.files("shared") / "translations"))
    Babel(app)
    return app


@contextmanager
def in_language(language: str = DEFAULT_LANGUAGE) -> Iterator[None]:
    """Translate everything said inside the block into ``language``."""
    with _catalogues().app_context(), force_locale(language):
        yield
