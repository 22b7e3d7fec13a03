"""API tokens both services accept: an identity, a token id and an expiry, signed with the shared secret.

Signed rather than looked up, so the review service can verify a token issued by intake without
reading intake's database. Each token has an id: intake keeps a row per token (its name, its
expiry, a hash of the token, its last use) and either service refuses a token whose id was
revoked (intake from that row, review from the ``intake.account.token_revoked`` events it kept).
Tokens of the first, untimed kind were signed under another salt, so they no longer verify.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

from shared import clock
from shared.identity import Identity

SALT = "dvk-api-token-v2"  # the untimed tokens of "dvk-api-token" stop working
DEFAULT_LIFETIME = timedelta(days=90)


@dataclass(frozen=True)
class Grant:
    """What a verified token says: who, which token, until when."""

    identity: Identity
    token_id: int
    expires_at: datetime


def issue(secret_key: str, identity: Identity, token_id: int = 0,
          expires_at: datetime | None = None) -> str:
    """A signed token; ``token_id`` 0 is one no account page listed (only scripts holding the key)."""
    expires_at = expires_at or clock.now() + DEFAULT_LIFETIME
    return URLSafeSerializer(secret_key, salt=SALT).dumps(
        {"user": identity.to_session(), "tid": token_id, "exp": int(expires_at.timestamp())})


def verify(secret_key: str, token: str) -> Grant | None:
    """The token's grant if it is ours, well formed and not expired; else None."""
    try:
        data = URLSafeSerializer(secret_key, salt=SALT).loads(token)
        identity = Identity.from_session(data["user"])
        grant = Grant(identity, int(data["tid"]), datetime.fromtimestamp(int(data["exp"]), UTC))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if identity is None or grant.expires_at <= clock.now():
        return None
    return grant


def digest(token: str) -> str:
    """What intake stores of a token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()
