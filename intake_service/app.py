"""The intake web app: ``create_app(settings)`` wires everything; nothing runs at import."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from intake_service import tables
from intake_service.accounts import admin_views as users_admin
from intake_service.accounts import api as account_api
from intake_service.accounts import services as accounts
from intake_service.accounts import sign_in_views as auth
from intake_service.accounts import throttling
from intake_service.accounts import views as account
from intake_service.amendments import views as amendments
from intake_service.bootstrap import bootstrap
from intake_service.bulk import api as bulk_api
from intake_service.bulk import views as bulk
from intake_service.directory import api as directory_api
from intake_service.directory import views as directory
from intake_service.notifications import api as notifications_api
from intake_service.notifications import views as notifications
from intake_service.periods import api as periods_api
from intake_service.periods import views as periods_views
from intake_service.reporting import api as reporting_api
from intake_service.reporting import views as reporting
from intake_service.results import views as results
from intake_service.submissions import api
from intake_service.submissions import views as submissions
from shared.settings import Settings, checked
from shared.web import csrf, init_web
from shared.web.api import TOKENS, openapi_blueprint
from shared.web.auth import EPOCHS, IDLE, MAX, new_password_first
from shared.web.ops import init_ops


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or checked()  # a bad variable stops the start, named
    app = Flask(__name__)
    init_web(app, settings)
    app.config.update({IDLE: timedelta(minutes=settings.session_idle_minutes),
                       MAX: timedelta(hours=settings.session_max_hours)})  # sessions' lifetimes
    init_ops(app, settings, "intake", settings.intake_database_url, tables.outbox)
    app.extensions["intake"] = intake = bootstrap(settings)
    throttling.init_app(app, settings)  # sign-in, token and password attempts
    app.extensions[EPOCHS] = accounts.epoch_lookup(intake.sessions)  # sign out everywhere
    app.extensions[TOKENS] = accounts.token_lookup(intake.sessions)  # tokens revoked one by one
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(users_admin.bp)
    new_password_first(app, auth.WHILE_CHANGING)  # after a reset, on both services
    app.register_blueprint(submissions.bp)
    app.register_blueprint(amendments.bp)
    app.register_blueprint(results.bp)
    app.register_blueprint(directory.bp)
    app.register_blueprint(periods_views.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(bulk.bp)
    app.register_blueprint(reporting.bp)
    operations = api.OPERATIONS | directory_api.OPERATIONS | periods_api.OPERATIONS \
        | notifications_api.OPERATIONS | account_api.OPERATIONS | bulk_api.OPERATIONS \
        | reporting_api.OPERATIONS
    app.register_blueprint(openapi_blueprint("Dân vận khéo — intake API", "1", operations))
    for json_api in (api, directory_api, periods_api, notifications_api, account_api, bulk_api,
                     reporting_api):
        app.register_blueprint(json_api.bp)
        csrf.exempt(json_api.bp)
    app.add_url_rule("/", "home", reporting.landing)
    app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    return app
