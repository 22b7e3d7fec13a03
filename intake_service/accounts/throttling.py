"""Throttling of sign-in, token and password attempts (Flask-Limiter, counted in our Redis).

No account is ever locked: that would let anyone keep a user out by failing on purpose. Instead
failures are counted per address and per account *from that address*, over growing windows
(``DVK_SIGN_IN_LIMITS``: a minute, an hour, a day), so a stranger's failures slow the stranger
down and nobody else; every failure from one address, whatever the account, counts towards
``DVK_ADDRESS_LIMITS``. Successes never count, so a commune office behind one address is not
slowed by its own staff signing in. The
address is the client's as werkzeug's ``ProxyFix`` reads it, that is, believed from
``X-Forwarded-For`` only through ``DVK_TRUSTED_PROXIES`` proxies. The refusal (429) reads the
same whether or not the username exists.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from shared.settings import Settings
from shared.web.auth import current_user

# While Redis is away, each process counts on its own rather than letting sign-in fail.
limiter = Limiter(key_func=get_remote_address, strategy="sliding-window-counter",
                  headers_enabled=True, in_memory_fallback_enabled=True, swallow_errors=True)
ACCOUNT_LIMITS, ADDRESS_LIMITS = "DVK_SIGN_IN_LIMITS", "DVK_ADDRESS_LIMITS"


def storage_uri(redis_url: str) -> str:
    """Our Redis as the ``limits`` library names it (a Unix socket is ``redis+unix://``)."""
    return "redis+unix://" + redis_url.removeprefix("unix://") if redis_url.startswith("unix://") \
        else redis_url


def init_app(app: Flask, settings: Settings) -> None:
    app.config.update({ACCOUNT_LIMITS: settings.sign_in_limits,
                       ADDRESS_LIMITS: settings.address_limits,
                       "RATELIMIT_STORAGE_URI": storage_uri(settings.redis_url),
                       "RATELIMIT_KEY_PREFIX": f"{settings.namespace}.throttle"})
    limiter.init_app(app)


def account_limits() -> str:
    return current_app.config[ACCOUNT_LIMITS]


def address_limits() -> str:
    return current_app.config[ADDRESS_LIMITS]


def account_from_address() -> str:
    """The key of failures against one account (as typed, any spelling) from one address."""
    username = request.form.get("username", "").strip().lower()[:80]
    return f"account:{username}|{get_remote_address()}"


def signed_in_user() -> str:
    user = current_user()
    return f"user:{user.id if user else get_remote_address()}"


def failed(response) -> bool:
    """Only a failure counts against an account: a refused password (401), a wrong one (422)."""
    return response.status_code in (401, 422)


# The decorators the views wear: failed sign-ins per account and address, every try per address.
sign_in = (limiter.limit(account_limits, key_func=account_from_address, methods=["POST"],
                         deduct_when=failed, scope="sign-in"),
           limiter.limit(address_limits, methods=["POST"], deduct_when=failed, scope="address"))
# A password change with a wrong current password counts like a failed sign-in, per user.
password_change = limiter.limit(account_limits, key_func=signed_in_user, deduct_when=failed,
                                scope="password")
TOKENS_PER_HOUR = "10 per hour"
token_creation = limiter.limit(TOKENS_PER_HOUR, key_func=signed_in_user, scope="tokens")
