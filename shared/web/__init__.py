"""What both web apps share: locale, CSRF, htmx, the page layout, error pages, sign-in checks."""

from __future__ import annotations

import importlib.resources
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, redirect, request, send_file
from flask_babel import Babel, get_locale
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

from shared.settings import Settings
from shared.web import errors, formatting
from shared.web.auth import current_user
from shared.web.redirects import safe_target

LANGUAGES = ("vi", "en")
WEEK = 7 * 24 * 3600
babel = Babel()
compress = Compress()
csrf = CSRFProtect()
htmx = Htmx()

bp = Blueprint("shared_web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/app")


def select_locale() -> str:
    chosen = request.cookies.get("lang")
    return chosen if chosen in LANGUAGES else "vi"


@bp.get("/lang/<code>")
def switch_language(code: str):
    """Remember the chosen interface language and go back."""
    if code not in LANGUAGES:
        abort(404)
    target = safe_target(request.referrer, [request.host_url]) or "/"
    response = redirect(target)
    response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@bp.get("/static/vendor/htmx.min.js")
def htmx_script():
    """Serve htmx from its installed package (its own gzipped copy when the browser takes it)."""
    folder = importlib.resources.files("js_lib_htmx") / "static" / "htmx"
    if "gzip" not in request.headers.get("Accept-Encoding", ""):
        return send_file(str(folder / "htmx.min.js"), mimetype="text/javascript", max_age=WEEK)
    response = send_file(str(folder / "htmx.min.js.gz"), mimetype="text/javascript", max_age=WEEK)
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker from the site's root, so it may keep the form pages offline."""
    response = send_file(str(importlib.resources.files("shared") / "web" / "static" / "sw.js"),
                         mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def init_web(app: Flask, settings: Settings) -> None:
    """Bind the shared extensions, templates and error pages to a service's app."""
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="dvk_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_COOKIE_DOMAIN=settings.session_cookie_domain,
        MAX_CONTENT_LENGTH=1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_TRANSLATION_DIRECTORIES=str(importlib.resources.files("shared") / "translations"),
        INTAKE_URL=settings.intake_url,
        REVIEW_URL=settings.review_url,
    )
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)  # pages and JSON go gzipped: commune connections are weak
    app.register_blueprint(bp)
    formatting.register(app)
    errors.register(app)
    app.jinja_env.globals["get_locale"] = get_locale
    app.context_processor(lambda: {"current_user": current_user()})
    policy = CONTENT_SECURITY_POLICY.format(intake=_origin(settings.intake_url))
    app.after_request(lambda response: _security_headers(response, policy))


# Images may come from intake too: a reviewer sees the thumbnails of a report's evidence.
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data: {intake}; style-src 'self'; "
                           "script-src 'self'")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _security_headers(response: Response, policy: str) -> Response:
    response.headers.setdefault("Content-Security-Policy", policy)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
