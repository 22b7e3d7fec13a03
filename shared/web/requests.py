"""What every request leaves behind: its id, one JSON access line, its count and its duration.

The id comes from the proxy's ``X-Request-ID`` when it is well formed (nginx's ``$request_id``,
a UUID...), else it is made here; it is bound to every log line written while the request is
served and sent back in the response's ``X-Request-ID``. Behind ``DVK_TRUSTED_PROXIES``
proxies, their ``X-Forwarded-*`` headers give the client's address, scheme and host
(werkzeug's ``ProxyFix``), so links, redirects and secure cookies are right behind nginx.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
import uuid

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from shared import logs, metrics
from shared.settings import Settings

REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
access_log = logging.getLogger("dvk.access")


def init_requests(app: Flask, settings: Settings, service: str) -> None:
    """Trust the configured proxies, and id, log, count and time each request of ``service``."""
    if settings.trusted_proxies:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops,
                                x_prefix=hops)
    # First of all hooks, so a request refused by another (CSRF...) still has its id and line.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin)
    app.after_request(lambda response: _finish(response, service))
    app.teardown_request(_unbind)


def request_id(given: str | None) -> str:
    """The proxy's id when it is well formed, else a new one."""
    return given if given and REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _begin() -> None:
    g.request_id = request_id(request.headers.get("X-Request-ID"))
    g.request_started = time.perf_counter()
    g.request_log = contextlib.ExitStack()
    g.request_log.enter_context(logs.bound(request_id=g.request_id))


def _finish(response: Response, service: str) -> Response:
    if "request_started" not in g:  # a before_request hook ahead of ours answered
        return response
    seconds = time.perf_counter() - g.request_started
    endpoint = request.endpoint or "unmatched"
    metrics.REQUESTS.labels(service, endpoint, request.method, str(response.status_code)).inc()
    metrics.LATENCY.labels(service, endpoint).observe(seconds)
    access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={
        "method": request.method, "path": request.path, "status": response.status_code,
        "duration_ms": round(seconds * 1000, 1), "endpoint": endpoint,
        "remote_addr": request.remote_addr})
    response.headers["X-Request-ID"] = g.request_id
    return response


def _unbind(_error: BaseException | None) -> None:
    if "request_log" in g:
        g.request_log.close()
