"""The review web app: queues, item pages, decisions. Sign-in is intake's; the session is shared."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, redirect, url_for

from review_service import tables
from review_service.audit import views as audit
from review_service.bootstrap import bootstrap
from review_service.chains import views as chains
from review_service.committee import api as committee_api
from review_service.committee import views as committee
from review_service.inspections import api as inspections_api
from review_service.inspections import plan_views as inspection_plans
from review_service.inspections import team_views as inspection_teams
from review_service.inspections import views as inspections
from review_service.mirrors import revocations
from review_service.nominations import api as nominations_api
from review_service.nominations import jobs as nominations_jobs
from review_service.nominations import views as nominations
from review_service.queue import api
from review_service.queue import views as queue
from review_service.saved_views import views as saved_views
from review_service.team import views as assignment
from shared.identity import is_inspector
from shared.settings import Settings, checked
from shared.web import csrf, init_web
from shared.web.api import TOKENS, openapi_blueprint
from shared.web.auth import EPOCHS, IDLE, MAX, current_user, new_password_first
from shared.web.ops import init_ops


def home():
    """Where the review service opens: the inspector's checks, or the reviewer's queue."""
    user = current_user()
    return redirect(url_for("inspections.index" if user and is_inspector(user)
                            else "queue.index"))


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or checked()  # a bad variable stops the start, named
    app = Flask(__name__)
    init_web(app, settings)
    app.config.update({IDLE: timedelta(minutes=settings.session_idle_minutes),
                       MAX: timedelta(hours=settings.session_max_hours)})  # sessions' lifetimes
    init_ops(app, settings, "review", settings.review_database_url, tables.outbox)
    app.extensions["review"] = review = bootstrap(settings)
    app.extensions[EPOCHS] = revocations.epoch_lookup(review.engine)  # sign-outs from intake
    app.extensions[TOKENS] = revocations.token_lookup(review.engine)  # tokens revoked one by one
    new_password_first(app, set())  # after a reset, intake's account page comes first
    app.register_blueprint(queue.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(assignment.bp)
    app.register_blueprint(saved_views.bp)
    app.register_blueprint(chains.bp)
    app.extensions["committee_rules"] = review.config.committee_rules
    app.register_blueprint(committee.bp)
    app.extensions["inspections"] = review.config.inspections
    app.register_blueprint(inspections.bp)
    app.register_blueprint(inspection_plans.bp)
    app.register_blueprint(inspection_teams.bp)
    app.extensions["award_forms"] = review.config.award_forms
    app.extensions["dossier_enqueue"] = nominations_jobs.Enqueuer(review.jobs)
    app.register_blueprint(nominations.bp)
    app.register_blueprint(openapi_blueprint("Dân vận khéo — review API", "1",
                                             api.OPERATIONS | committee_api.OPERATIONS
                                             | inspections_api.OPERATIONS
                                             | nominations_api.OPERATIONS))
    app.register_blueprint(api.bp)
    app.register_blueprint(committee_api.bp)
    app.register_blueprint(inspections_api.bp)
    app.register_blueprint(nominations_api.bp)
    csrf.exempt(api.bp)
    csrf.exempt(committee_api.bp)
    csrf.exempt(inspections_api.bp)
    csrf.exempt(nominations_api.bp)
    app.add_url_rule("/", "home", home)
    app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    return app
