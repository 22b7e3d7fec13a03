"""Operators' endpoints on each web service, no sign-in needed: ``/readyz`` and ``/metrics``.

``/healthz`` (in each app) only says the process answers. ``/readyz`` says whether the service
can do its work: its database reachable and at the migration head, the broker and Redis
reachable; 200 with each part "ok", else 503 naming the parts that are not.

``/metrics`` is Prometheus's. It is read from the machine itself (loopback, not forwarded by a
proxy) or, when ``DVK_METRICS_TOKEN`` is set, only with ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Table
from sqlalchemy.engine import Engine

from shared import broker as broker_settings
from shared import metrics
from shared.settings import Settings
from shared.web import readiness
from shared.web.requests import init_requests

bp = Blueprint("ops", __name__)


@dataclass
class Ops:
    service: str  # "intake" or "review"
    package: str  # the package whose migrations the database must be at the head of
    settings: Settings
    engine: Engine  # a probe engine of its own (``readiness.probe_engine``)
    backlog: metrics.Backlog


def init_ops(app: Flask, settings: Settings, service: str, database_url: str, outbox: Table) -> None:
    """Give ``service``'s app its request ids, access lines, ``/readyz`` and ``/metrics``."""
    init_requests(app, settings, service)
    engine = readiness.probe_engine(database_url)
    dead_letters = broker_settings.topology(settings).dead_letter_queue(service, False).name
    backlog = metrics.Backlog(service, settings, engine, outbox,
                              broker=lambda: readiness.broker_connection(settings),
                              redis=lambda: readiness.redis_client(settings),
                              dead_letter_queue=dead_letters)
    app.extensions["ops"] = Ops(service, f"{service}_service", settings, engine, backlog)
    app.register_blueprint(bp)


@bp.get("/readyz")
def readyz():
    """Say whether the service can work now: each part "ok", or what is wrong with it."""
    ops: Ops = current_app.extensions["ops"]
    checks = readiness.run({
        "database": lambda: readiness.database(ops.engine, ops.package),
        "broker": lambda: readiness.broker(lambda: readiness.broker_connection(ops.settings)),
        "redis": lambda: readiness.redis(lambda: readiness.redis_client(ops.settings)),
    })
    ready = all(outcome == "ok" for outcome in checks.values())
    failing = [name for name, outcome in checks.items() if outcome != "ok"]
    return {"status": "ready" if ready else "unavailable", "checks": checks,
            "failing": failing}, 200 if ready else 503


@bp.get("/metrics")
def prometheus_metrics():
    """Prometheus's page: every process's counters and what waits, for those let in."""
    ops: Ops = current_app.extensions["ops"]
    if not may_read_metrics(request.remote_addr, "X-Forwarded-For" in request.headers,
                            request.headers.get("Authorization"), ops.settings.metrics_token):
        abort(403)
    body = generate_latest(metrics.registry(ops.settings, ops.backlog))
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def may_read_metrics(remote_addr: str | None, forwarded: bool, authorization: str | None,
                     token: str | None) -> bool:
    """The token when one is set; otherwise a request from this machine that no proxy passed on."""
    if token:
        given = (authorization or "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    return not forwarded and _loopback(remote_addr)


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False
