"""The intake web app: ``create_app(settings)`` wires everything; nothing runs at import."""

from __future__ import annotations

from flask import Flask, redirect, url_for

from intake_service.bootstrap import bootstrap
from intake_service.directory import views as directory
from intake_service.periods import views as periods_views
from intake_service.views import api, auth, submissions
from shared.settings import Settings, from_env
from shared.web import csrf, init_web
from shared.web.api import openapi_blueprint


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or from_env()
    app = Flask(__name__)
    init_web(app, settings)
    app.extensions["intake"] = bootstrap(settings)
    app.register_blueprint(auth.bp)
    app.register_blueprint(submissions.bp)
    app.register_blueprint(directory.bp)
    app.register_blueprint(periods_views.bp)
    app.register_blueprint(openapi_blueprint("Dân vận khéo — intake API", "1", api.OPERATIONS))
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)
    app.add_url_rule("/", "home", lambda: redirect(url_for("submissions.index")))
    app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    return app
